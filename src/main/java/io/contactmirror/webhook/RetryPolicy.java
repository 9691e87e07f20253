package io.contactmirror.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When a failed delivery is tried again: the delay doubles per attempt from the initial backoff up to the maximum,
 * with random jitter so failing targets are not hit in lockstep, and attempts continue until {@code retryFor} after
 * the first one (the last lands right at that horizon); after that the delivery is given up on.
 */
record RetryPolicy(
        Duration initialBackoff, Duration maxBackoff, double jitter, Duration retryFor, DoubleSupplier random) {

    static RetryPolicy of(WebhookProperties properties) {
        return new RetryPolicy(
                properties.initialBackoff(),
                properties.maxBackoff(),
                properties.jitter(),
                properties.retryFor(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The delay before the next attempt after {@code failedAttempts} failures (this one included), or null when
     * the delivery is to be given up: the attempt at {@code now} was made at or after the horizon.
     */
    @Nullable
    Duration nextDelay(int failedAttempts, Instant firstAttempt, Instant now) {
        Instant horizon = firstAttempt.plus(retryFor);
        if (!now.isBefore(horizon)) {
            return null;
        }
        double base = initialBackoff.toMillis() * Math.pow(2, Math.min(failedAttempts - 1, 40));
        double capped = Math.min(base, maxBackoff.toMillis());
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        Duration delay = Duration.ofMillis(Math.max(0, Math.round(capped * factor)));
        Duration untilHorizon = Duration.between(now, horizon);
        return delay.compareTo(untilHorizon) > 0 ? untilHorizon : delay;
    }
}
