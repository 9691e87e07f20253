package io.contactmirror.connection.cobalt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BusinessNameLookupTest {

    @Test
    void asksOncePerPhoneNumberAtAFixedPaceAndReportsTheNamesFound() {
        List<String> asked = new CopyOnWriteArrayList<>();
        Map<String, String> found = new ConcurrentHashMap<>();
        var lookup = new BusinessNameLookup(
                jid -> {
                    asked.add(jid);
                    if (jid.startsWith("55")) {
                        return CompletableFuture.completedFuture(Optional.of("Silva Comércio"));
                    }
                    if (jid.startsWith("49")) {
                        return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
                    }
                    return CompletableFuture.completedFuture(Optional.empty());
                },
                found::put,
                3,
                Duration.ofMillis(10),
                Duration.ofSeconds(1));
        // Offered before the lookup runs, so the capacity is what limits them.
        lookup.offer("5511999999999@s.whatsapp.net");
        lookup.offer("5511999999999@s.whatsapp.net");
        lookup.offer("123456789012345@lid");
        lookup.offer("4915112345678@s.whatsapp.net");
        lookup.offer("628123456789@s.whatsapp.net");
        lookup.offer("15551234567@s.whatsapp.net"); // beyond the capacity of 3: not asked about
        lookup.start("test-business-names");

        await().atMost(Duration.ofSeconds(5)).until(() -> asked.size() == 3);
        assertThat(asked)
                .containsExactly(
                        "5511999999999@s.whatsapp.net", "4915112345678@s.whatsapp.net", "628123456789@s.whatsapp.net");
        assertThat(found).containsExactly(Map.entry("5511999999999@s.whatsapp.net", "Silva Comércio"));
        lookup.stop();
        lookup.offer("5521988887777@s.whatsapp.net");
        // Right after offer() nothing could have been asked yet even without stop(): watch for 50 intervals.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> asked.size() == 3);
        assertThat(asked).doesNotContain("5521988887777@s.whatsapp.net");
    }
}
