package io.contactmirror.connection.cobalt;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timeouts and limits of WhatsApp Web sessions (engine {@code whatsapp}).
 *
 * @param connectTimeout how long a paired session may take to log in; Cobalt's connect has no timeout of its own
 * @param pairingTimeout how long an unpaired session shows QR codes or waits for the pairing code before it counts
 *     as a failed attempt (the socket manager then retries with backoff)
 * @param queryTimeout bound on each live query (profile picture, number check)
 * @param businessLookupInterval pause between two business-name queries of one session
 * @param businessLookupCapacity contacts of one session waiting for a business-name query; more are not asked about
 * @param eventQueueSize events of one session waiting to be applied; when full, Cobalt's thread applies the event
 *     itself, which slows that session down instead of dropping data or growing without bound
 */
@ConfigurationProperties("contactmirror.whatsapp")
record CobaltProperties(
        @DefaultValue("PT30S") Duration connectTimeout,
        @DefaultValue("PT3M") Duration pairingTimeout,
        @DefaultValue("PT10S") Duration queryTimeout,
        @DefaultValue("10000") int eventQueueSize,
        @DefaultValue("PT0.5S") Duration businessLookupInterval,
        @DefaultValue("2000") int businessLookupCapacity) {}
