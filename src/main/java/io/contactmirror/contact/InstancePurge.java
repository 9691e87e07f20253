package io.contactmirror.contact;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.connection.InstanceDeleting;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Removes a deleted instance's contacts, chats, mappings and counters (and, through {@link ChangeLog#forget}, its
 * change log) in batches of their own transactions, so deleting a million-contact instance never holds one huge
 * transaction (and the row's cascade has little left to do).
 */
@Component
class InstancePurge {

    private static final int BATCH = 10_000;
    private static final String[] TABLES = {
        "group_participants", "identity_mappings", "chats", "contacts", "contact_counts"
    };

    private final JdbcClient jdbc;
    private final ChangeLog changeLog;

    InstancePurge(JdbcClient jdbc, ChangeLog changeLog) {
        this.jdbc = jdbc;
        this.changeLog = changeLog;
    }

    @EventListener
    void onInstanceDeleting(InstanceDeleting event) {
        changeLog.forget(event.instanceId());
        for (String table : TABLES) {
            // Table names come from the constant above, never from input.
            String batch = "DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table
                    + " WHERE instance_id = :instance LIMIT " + BATCH + "))";
            while (jdbc.sql(batch).param("instance", event.instanceId()).update() > 0) {
                // Next batch.
            }
        }
    }
}
