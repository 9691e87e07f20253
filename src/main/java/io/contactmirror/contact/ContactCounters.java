package io.contactmirror.contact;

import io.contactmirror.instance.ContactCounts;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the contact and group counters of {@code contact_counts}, which the mirror keeps (see
 * {@link MirrorRepository#addToCounts}) so a million-contact list needs no count(*). An instance without a row has
 * none of either.
 */
@Component
class ContactCounters implements ContactCounts {

    /** An instance's counters. */
    record Counters(long contacts, long groups) {

        long total(boolean includeGroups) {
            return contacts + (includeGroups ? groups : 0);
        }
    }

    private final JdbcClient jdbc;

    ContactCounters(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Index: contact_counts_pkey. */
    Counters of(long instanceId) {
        return jdbc.sql("SELECT contacts_count, groups_count FROM contact_counts WHERE instance_id = ?")
                .param(instanceId)
                .query((rs, row) -> new Counters(rs.getLong(1), rs.getLong(2)))
                .optional()
                .orElse(new Counters(0, 0));
    }

    /** Index: contact_counts_pkey. */
    @Override
    public Map<Long, Long> contactsOf(Collection<Long> instanceIds) {
        Map<Long, Long> counts = new HashMap<>();
        if (instanceIds.isEmpty()) {
            return counts;
        }
        jdbc.sql("SELECT instance_id, contacts_count FROM contact_counts WHERE instance_id = ANY(?)")
                .param(instanceIds.toArray(Long[]::new))
                .query((rs, row) -> counts.put(rs.getLong(1), rs.getLong(2)))
                .list();
        return counts;
    }
}
