package io.contactmirror.connection.sandbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How sandbox accounts behave.
 *
 * @param contacts contacts of a new sandbox account unless its creation says otherwise
 * @param groups groups of a new sandbox account unless its creation says otherwise
 * @param batchSize contacts per batch of the initial sync
 * @param batchDelay pause between batches, so the sync is observable like a real one
 * @param autoScanAfter pair automatically this long after the QR code appeared; {@code 0} means never (use the
 *     scan endpoint)
 * @param qrRotation how long a QR code is valid before the next one (WhatsApp rotates them about every 20 s)
 * @param pollInterval how often an open session looks for scans and injected events
 */
@ConfigurationProperties("contactmirror.sandbox")
record SandboxProperties(
        @DefaultValue("500") int contacts,
        @DefaultValue("8") int groups,
        @DefaultValue("250") int batchSize,
        @DefaultValue("PT0.02S") Duration batchDelay,
        @DefaultValue("PT0S") Duration autoScanAfter,
        @DefaultValue("PT20S") Duration qrRotation,
        @DefaultValue("PT0.2S") Duration pollInterval) {}
