package io.contactmirror.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signatures and the retry schedule. */
class WebhookSignatureTest {

    @Test
    void signsLikeTheStandardWebhooksReferenceVector() {
        // The specification's published example (secret, id, timestamp, body -> signature).
        assertThat(WebhookSignature.sign(
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330,
                        "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void newSecretsAreDistinctThirtyTwoByteKeys() {
        String secret = WebhookSignature.newSecret();
        assertThat(secret).startsWith("whsec_").isNotEqualTo(WebhookSignature.newSecret());
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    }

    @Test
    void retriesDoubleUpToTheMaximumWithJitterUntilTheHorizon() {
        Instant first = Instant.parse("2026-11-28T00:00:00Z");
        var noJitter =
                new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 0.2, Duration.ofHours(24), () -> 0.5);
        assertThat(noJitter.nextDelay(1, first, first)).isEqualTo(Duration.ofSeconds(5));
        assertThat(noJitter.nextDelay(2, first, first)).isEqualTo(Duration.ofSeconds(10));
        assertThat(noJitter.nextDelay(5, first, first)).isEqualTo(Duration.ofSeconds(80));
        assertThat(noJitter.nextDelay(30, first, first)).isEqualTo(Duration.ofHours(1));
        var low = new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 0.2, Duration.ofHours(24), () -> 0.0);
        var high = new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 0.2, Duration.ofHours(24), () -> 1.0);
        assertThat(low.nextDelay(2, first, first)).isEqualTo(Duration.ofSeconds(8));
        assertThat(high.nextDelay(2, first, first)).isEqualTo(Duration.ofSeconds(12));
        // The last attempt lands on the horizon; one made at (or after) it is the end.
        Instant late = first.plus(Duration.ofHours(23).plusMinutes(50));
        assertThat(noJitter.nextDelay(40, first, late)).isEqualTo(Duration.ofMinutes(10));
        assertThat(noJitter.nextDelay(41, first, first.plus(Duration.ofHours(24))))
                .isNull();
        // With the defaults, a delivery is tried for at least 24 hours: the attempts keep coming until then.
        Instant now = first;
        int attempts = 1;
        Duration next;
        while ((next = high.nextDelay(attempts, first, now)) != null) {
            now = now.plus(next);
            attempts++;
        }
        assertThat(Duration.between(first, now)).isEqualTo(Duration.ofHours(24));
        assertThat(attempts).isBetween(25, 45);
    }
}
