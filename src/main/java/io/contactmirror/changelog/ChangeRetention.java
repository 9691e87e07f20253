package io.contactmirror.changelog;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes changes older than the retention. Per instance it first advances {@code pruned_through} (from then on a
 * cursor before it answers 410), then deletes up to it in small batches, each its own transaction, so writers and
 * readers never wait long. Replicas may prune at the same time: the bound only grows and deletes are idempotent.
 */
@Component
class ChangeRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeRetention.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ChangeLogProperties properties;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private volatile java.util.concurrent.@org.jspecify.annotations.Nullable ScheduledFuture<?> task;

    ChangeRetention(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            ChangeLogProperties properties,
            TaskScheduler scheduler,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    record Expired(long instanceId, long through) {}

    /** Prunes every instance's changes older than the retention; returns how many changes were deleted. */
    long prune() {
        Instant cutoff = clock.instant().minus(properties.retention());
        // Index: changes_created_at_idx finds the old changes; sequences grow with time, so the newest old one bounds
        // them.
        List<Expired> expired = jdbc.sql("""
                        SELECT instance_id, max(seq) AS through FROM changes WHERE created_at < :cutoff
                        GROUP BY instance_id""")
                .param("cutoff", java.sql.Timestamp.from(cutoff))
                .query((rs, row) -> new Expired(rs.getLong("instance_id"), rs.getLong("through")))
                .list();
        long deleted = 0;
        for (Expired instance : expired) {
            deleted += prune(instance);
        }
        if (deleted > 0) {
            log.info(
                    "Pruned {} changes older than {} of {} instances", deleted, properties.retention(), expired.size());
        }
        return deleted;
    }

    private long prune(Expired instance) {
        long from = transactions.execute(status -> jdbc.sql("""
                        UPDATE change_sequences SET pruned_through = greatest(pruned_through, :through)
                        WHERE instance_id = :instance RETURNING pruned_through""")
                .param("instance", instance.instanceId())
                .param("through", instance.through())
                .query(Long.class)
                .optional()
                .orElse(instance.through()));
        long deleted = 0;
        long low = 0;
        // Index: changes primary key (instance_id, seq). The lower bound moves past each batch, so no batch walks the
        // index entries of rows an earlier batch deleted.
        while (true) {
            long bound = low;
            List<Long> batch = transactions.execute(status -> jdbc.sql("""
                            DELETE FROM changes WHERE instance_id = :instance AND seq IN (
                                SELECT seq FROM changes WHERE instance_id = :instance AND seq > :low AND seq <= :through
                                ORDER BY seq LIMIT :batch)
                            RETURNING seq""")
                    .param("instance", instance.instanceId())
                    .param("low", bound)
                    .param("through", from)
                    .param("batch", properties.pruneBatchSize())
                    .query(Long.class)
                    .list());
            deleted += batch.size();
            if (batch.size() < properties.pruneBatchSize()) {
                return deleted;
            }
            low = batch.stream().mapToLong(Long::longValue).max().orElse(from);
        }
    }

    private void pruneQuietly() {
        try {
            prune();
        } catch (RuntimeException ex) {
            // The next run retries; a database outage must not end the schedule.
            log.warn("Pruning the change log failed: {}", ex.toString());
        }
    }

    @Override
    public void start() {
        task = scheduler.scheduleWithFixedDelay(
                this::pruneQuietly, clock.instant().plus(properties.pruneInterval()), properties.pruneInterval());
    }

    @Override
    public void stop() {
        var running = task;
        if (running != null) {
            running.cancel(false);
            task = null;
        }
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }
}
