package io.contactmirror.changelog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long changes are kept and how readers are woken.
 *
 * @param retention how long a change stays readable; a cursor older than that gets 410 CURSOR_EXPIRED
 * @param pruneInterval how often each replica removes changes older than {@code retention}
 * @param pruneBatchSize changes removed per transaction while pruning
 * @param pollInterval how often waiting readers look for changes even without a notification (a backstop for a lost
 *     {@code LISTEN} connection); also how often that connection is checked
 */
@ConfigurationProperties("contactmirror.changes")
public record ChangeLogProperties(
        @DefaultValue("P30D") Duration retention,
        @DefaultValue("PT1H") Duration pruneInterval,
        @DefaultValue("10000") int pruneBatchSize,
        @DefaultValue("PT10S") Duration pollInterval) {

    public ChangeLogProperties {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("contactmirror.changes.retention must be positive");
        }
        if (pruneInterval.isNegative()
                || pruneInterval.isZero()
                || pollInterval.isNegative()
                || pollInterval.isZero()) {
            throw new IllegalArgumentException("contactmirror.changes intervals must be positive");
        }
        if (pruneBatchSize < 1) {
            throw new IllegalArgumentException("contactmirror.changes.prune-batch-size must be positive");
        }
    }
}
