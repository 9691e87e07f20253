package io.contactmirror.feed;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits and timings of the live event stream.
 *
 * @param heartbeatInterval how often an idle stream sends a comment line, so proxies keep the connection open
 * @param maxStreamsPerToken concurrent streams one token may hold on one replica; more are refused with 429
 * @param maxStreamDuration a stream ends (cleanly) after this long; clients reconnect with Last-Event-ID, and the
 *     token is checked again then (a revoked token gets no new stream)
 */
@ConfigurationProperties("contactmirror.events")
record FeedProperties(
        @DefaultValue("PT15S") Duration heartbeatInterval,
        @DefaultValue("5") int maxStreamsPerToken,
        @DefaultValue("PT1H") Duration maxStreamDuration) {

    FeedProperties {
        if (heartbeatInterval.isNegative()
                || heartbeatInterval.isZero()
                || maxStreamDuration.isNegative()
                || maxStreamDuration.isZero()) {
            throw new IllegalArgumentException("contactmirror.events durations must be positive");
        }
        if (maxStreamsPerToken < 1) {
            throw new IllegalArgumentException("contactmirror.events.max-streams-per-token must be at least 1");
        }
    }
}
