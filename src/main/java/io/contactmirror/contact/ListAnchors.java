package io.contactmirror.contact;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.contactmirror.instance.Instance;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Serves deep offset pages of the unfiltered list by keyset: the (name, id) of every {@link #SPACING}-th contact in
 * list order, so page 10,000 starts with one index seek and a skip of fewer than {@code SPACING} index entries instead
 * of half a million. Anchors last found exact less than {@code contactmirror.contacts.anchor-max-age} ago are used
 * as they are, without a query; older ones are checked against the instance (one probe) and rebuilt (one index-only
 * pass) when its contacts changed since they were built. While an instance is being written, a deep page therefore
 * shows the order of at most that long ago. Cursors are always exact.
 */
@Component
class ListAnchors {

    static final int SPACING = 2_000;

    private record Key(long instanceId, boolean includeGroups) {}

    /** The anchors, what the instance looked like when they were built, and when they were last found exact. */
    private record Anchors(List<ContactCursor.Position> positions, Stamp stamp, Instant checkedAt) {}

    /** Changes when a contact is written (updated_at) or removed (the maintained counters of contact_counts). */
    private record Stamp(@Nullable Instant lastWrite, long contacts, long groups) {}

    /** Where an offset page starts: after {@code after} (null: from the start), skipping {@code skip} rows. */
    record Seek(ContactCursor.@Nullable Position after, long skip) {}

    private final JdbcClient jdbc;
    private final ContactsProperties properties;
    private final Clock clock;
    private final Cache<Key, Anchors> anchors = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    ListAnchors(JdbcClient jdbc, ContactsProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    Seek seek(Instance instance, boolean includeGroups, long offset) {
        long anchorNumber = offset / SPACING;
        if (anchorNumber == 0) {
            return new Seek(null, offset);
        }
        Anchors current = current(instance, includeGroups);
        int index = (int) Math.min(anchorNumber, current.positions().size()) - 1;
        if (index < 0) {
            return new Seek(null, offset);
        }
        return new Seek(current.positions().get(index), offset - (long) (index + 1) * SPACING);
    }

    private Anchors current(Instance instance, boolean includeGroups) {
        Key key = new Key(instance.id(), includeGroups);
        Anchors known = anchors.getIfPresent(key);
        Instant now = clock.instant();
        if (known != null && known.checkedAt().plus(properties.anchorMaxAge()).isAfter(now)) {
            return known;
        }
        Stamp stamp = stamp(instance);
        // Two requests may check or build at once; all results are equally right.
        Anchors current = known != null && known.stamp().equals(stamp)
                ? new Anchors(known.positions(), stamp, now)
                : new Anchors(build(instance.id(), includeGroups), stamp, now);
        anchors.put(key, current);
        return current;
    }

    /** Indexes: contacts_updated_idx (one probe from its end), contact_counts_pkey. */
    private Stamp stamp(Instance instance) {
        return jdbc.sql("""
                        SELECT (SELECT max(updated_at) FROM contacts WHERE instance_id = :id) AS last_write,
                               n.contacts_count, n.groups_count
                        FROM (SELECT 1) one LEFT JOIN contact_counts n ON n.instance_id = :id""")
                .param("id", instance.id())
                .query((rs, row) -> {
                    Timestamp lastWrite = rs.getTimestamp("last_write");
                    return new Stamp(
                            lastWrite == null ? null : lastWrite.toInstant(),
                            rs.getLong("contacts_count"),
                            rs.getLong("groups_count"));
                })
                .single();
    }

    /** One index-only pass in list order. Index: contacts_walk_people_idx, or contacts_list_idx with groups. */
    private List<ContactCursor.Position> build(long instanceId, boolean includeGroups) {
        return jdbc.sql(
                        "SELECT sort_name, id FROM (SELECT c.sort_name, c.id, row_number() OVER (ORDER BY c.sort_name, c.id) AS n"
                                + " FROM contacts c WHERE c.instance_id = :instance"
                                + (includeGroups ? "" : " AND NOT c.is_group")
                                + ") x WHERE n % :spacing = 0 ORDER BY n")
                .param("instance", instanceId)
                .param("spacing", SPACING)
                .query((rs, row) -> new ContactCursor.Position(rs.getString("sort_name"), rs.getLong("id")))
                .list();
    }
}
