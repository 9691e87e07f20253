package io.contactmirror.connection.cobalt;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.net.URI;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Timeouts and limits of WhatsApp Web sessions (engine {@code whatsapp}).
 *
 * @param connectTimeout how long a paired session may take to log in; Cobalt's connect has no timeout of its own
 * @param pairingTimeout how long an unpaired session shows QR codes or waits for the pairing code before it counts
 *     as a failed attempt (the socket manager then retries with backoff)
 * @param queryTimeout bound on each live query (profile picture, number check)
 * @param eventQueueSize events of one session waiting to be applied; when full, Cobalt's thread waits, which slows
 *     that session down instead of dropping data, reordering events or growing without bound
 * @param businessLookupInterval pause between two business-name queries of one session
 * @param businessLookupCapacity contacts of one session waiting for a business-name query; more are not asked about
 * @param livenessCheckInterval how often each session checks that its socket is still alive (Cobalt 0.0.10 does not
 *     report a socket the server closed or a dead TCP connection)
 * @param silenceTimeout a connected socket with no inbound data for this long counts as dead; Cobalt pings every 20 s
 *     and WhatsApp answers each ping, so this is two missed answers plus a margin
 * @param socketDownGrace how long a socket that was connected may stay disconnected before the session counts as lost
 * @param proxy HTTP(S) proxy for WhatsApp connections ({@code http://user:password@host:port}); none when unset
 */
@Validated
@ConfigurationProperties("contactmirror.whatsapp")
record CobaltProperties(
        @DefaultValue("PT30S") @DurationMin(millis = 1) Duration connectTimeout,
        @DefaultValue("PT3M") @DurationMin(millis = 1) Duration pairingTimeout,
        @DefaultValue("PT10S") @DurationMin(millis = 1) Duration queryTimeout,
        @DefaultValue("10000") @Positive int eventQueueSize,
        @DefaultValue("PT0.5S") @DurationMin(nanos = 0) Duration businessLookupInterval,
        @DefaultValue("2000") @PositiveOrZero int businessLookupCapacity,
        @DefaultValue("PT5S") @DurationMin(millis = 1) Duration livenessCheckInterval,
        @DefaultValue("PT45S") @DurationMin(millis = 1) Duration silenceTimeout,
        @DefaultValue("PT5S") @DurationMin(nanos = 0) Duration socketDownGrace,
        @Nullable URI proxy) {}
