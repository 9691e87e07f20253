package io.contactmirror.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final ConnectionProperties properties = new ConnectionProperties(
            "r",
            Duration.ofSeconds(2),
            Duration.ofSeconds(15),
            Duration.ofSeconds(1),
            Duration.ofSeconds(60),
            10,
            Duration.ofSeconds(10));
    private final SocketManager manager =
            new SocketManager(List.of(), null, null, null, properties, new SimpleMeterRegistry());

    @Test
    void doublesWithEqualJitterUpToTheCap() {
        for (int run = 0; run < 200; run++) {
            assertThat(manager.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(manager.backoff(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(manager.backoff(7)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
            assertThat(manager.backoff(500)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    @Test
    void jittersSoReplicasDoNotRetryInStep() {
        var waits = new HashSet<Duration>();
        for (int run = 0; run < 200; run++) {
            waits.add(manager.backoff(6));
        }
        // Equal jitter over 16-32 s in milliseconds: 200 draws all alike would mean no jitter at all.
        assertThat(waits)
                .hasSizeGreaterThan(100)
                .allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofSeconds(16), Duration.ofSeconds(32)));
    }

    @Test
    void neverWaitsLongerThanTheCapEvenWhenTheFirstWaitExceedsIt() {
        var manager = new SocketManager(
                List.of(),
                null,
                null,
                null,
                new ConnectionProperties(
                        "r",
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(90),
                        Duration.ofSeconds(60),
                        10,
                        Duration.ofSeconds(10)),
                new SimpleMeterRegistry());
        for (int run = 0; run < 50; run++) {
            assertThat(manager.backoff(1)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    @Test
    void namesEachProcessStartApart() {
        var again = new SocketManager(List.of(), null, null, null, properties, new SimpleMeterRegistry());
        assertThat(manager.incarnation()).startsWith("r#");
        assertThat(again.incarnation()).startsWith("r#").isNotEqualTo(manager.incarnation());
    }
}
