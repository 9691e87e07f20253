package io.contactmirror.contact;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Recounts the contact and group counters of every instance written since the last run: the mirror keeps them
 * incrementally, and a merge racing another or a session that never completes a sync can leave them off. The first
 * run after start recounts every instance.
 */
@Component
class ContactCountRecount implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ContactCountRecount.class);

    private final JdbcClient jdbc;
    private final MirrorRepository mirror;
    private final ContactsProperties properties;
    private static final Duration LOOK_BACK = Duration.ofMinutes(1);

    private Instant lastRun = Instant.EPOCH;

    ContactCountRecount(JdbcClient jdbc, MirrorRepository mirror, ContactsProperties properties) {
        this.jdbc = jdbc;
        this.mirror = mirror;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::recountRecentlyWritten, properties.recountInterval());
    }

    /** Runs one recount pass; answers how many instances it recounted. */
    synchronized int recountRecentlyWritten() {
        Instant started = Instant.now();
        // Index: contacts_updated_idx (instance_id, updated_at), one probe per instance.
        List<Long> written = jdbc.sql("""
                        SELECT i.id FROM instances i
                        WHERE i.updated_at >= :since
                           OR EXISTS (SELECT 1 FROM contacts c WHERE c.instance_id = i.id AND c.updated_at >= :since)""")
                .param("since", java.sql.Timestamp.from(lastRun))
                .query(Long.class)
                .list();
        for (long instanceId : written) {
            try {
                mirror.recount(instanceId);
            } catch (RuntimeException ex) {
                log.warn("Recounting contacts of instance {} failed; retried next run", instanceId, ex);
                return 0;
            }
        }
        // updated_at is its transaction's start: a write that commits during this pass (or shortly before it) may carry
        // an earlier time, so the next pass looks back a little before this one started.
        lastRun = started.minus(LOOK_BACK);
        return written.size();
    }
}
