package io.contactmirror.contact;

import io.contactmirror.changelog.ChangeType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Set-based writes of the mirror: one statement per batch, arrays unnested server-side. Plain SQL rather than JPA on
 * purpose: JPA has no bulk upsert ({@code INSERT … ON CONFLICT … WHERE … IS DISTINCT FROM}), and a sync writes a
 * million rows in a few hundred statements this way instead of a million entity merges.
 */
@Repository
class MirrorRepository {

    private final JdbcClient jdbc;

    MirrorRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Ids of an instance's rows whose jid or phone key is in the given arrays: one index probe per element
     * (contacts (instance_id, jid) unique, contacts_phone_key_idx), so a batch of thousands costs what it names,
     * not a scan of the instance. The probes are {@code LATERAL … LIMIT 1} on purpose: written as a plain join, the
     * planner trusts statistics that know nothing of an instance still syncing (it "has one row") and reads the whole
     * instance into a hash for every batch, which made a 200,000-contact sync spend most of its time here.
     * Parameters: jids, instance id, phone keys, instance id.
     */
    private static final String IDS_BY_JID_OR_PHONE_KEY = """
            SELECT c.id FROM unnest(?::text[]) AS u(jid)
                CROSS JOIN LATERAL (SELECT id FROM contacts WHERE instance_id = ? AND jid = u.jid LIMIT 1) c
            UNION ALL
            SELECT c.id FROM unnest(?::text[]) AS u(phone_key)
                CROSS JOIN LATERAL (SELECT id FROM contacts WHERE instance_id = ? AND phone_key = u.phone_key LIMIT 1) c""";

    /**
     * Plans the rest of the transaction's statements for an instance of average size instead of for the one they
     * name; for statements that find rows by their keys (the mirror's batches, lookups by phone, JID or LID).
     * Statistics know nothing of an instance that is syncing, or synced since the last ANALYZE (on a large table that
     * can be days): planned for it, a probe by (instance_id, jid) "finds one row" through any index that starts with
     * instance_id, picks the smallest and reads the whole instance. That made 7 of 28 syncs of 10,000 contacts take
     * 4 to 31 s instead of 1.2 s, and a lookup in an unanalyzed 100,000-contact instance 138 ms instead of 0.3 ms.
     * A generic plan estimates an average instance and probes the unique keys. Not for searches, whose path is chosen
     * from the instance's own estimates ({@link ContactRepository#expectedMatches}). Needs a transaction.
     */
    void planForAnyInstance() {
        jdbc.sql("SET LOCAL plan_cache_mode = force_generic_plan").update();
    }

    /** A stored row as the mirror needs it to merge, keyed by jid. */
    record Stored(long id, MirroredContact contact) {}

    /** Existing rows of an instance whose jid, phone key or LID is among the given ones. */
    Map<String, Stored> findExisting(long instanceId, Collection<String> jids, Collection<String> phoneKeys) {
        Map<String, Stored> found = new HashMap<>();
        jdbc.sql("""
                        SELECT id, jid, lid, push_name, full_name, first_name, business_name, chat_name, in_address_book
                        FROM contacts
                        WHERE id = ANY(ARRAY(""" + IDS_BY_JID_OR_PHONE_KEY + "))")
                .param(jids.toArray(String[]::new))
                .param(instanceId)
                .param(phoneKeys.toArray(String[]::new))
                .param(instanceId)
                .query((rs, row) -> {
                    Boolean inAddressBook = (Boolean) rs.getObject("in_address_book");
                    var contact = new MirroredContact(
                            rs.getString("jid"),
                            rs.getString("lid"),
                            rs.getString("push_name"),
                            rs.getString("full_name"),
                            rs.getString("first_name"),
                            rs.getString("business_name"),
                            rs.getString("chat_name"),
                            inAddressBook);
                    return found.put(contact.jid(), new Stored(rs.getLong("id"), contact));
                })
                .list();
        return found;
    }

    /** Names of the instance's chats among the given JIDs (chats (instance_id, jid) unique). */
    Map<String, String> chatNames(long instanceId, Collection<String> jids) {
        Map<String, String> names = new HashMap<>();
        if (jids.isEmpty()) {
            return names;
        }
        jdbc.sql("""
                        SELECT c.jid, c.name FROM unnest(?::text[]) AS u(jid)
                            CROSS JOIN LATERAL (SELECT jid, name FROM chats WHERE instance_id = ? AND jid = u.jid LIMIT 1) c
                        WHERE c.name IS NOT NULL AND c.name <> ''""")
                .param(jids.toArray(String[]::new))
                .param(instanceId)
                .query((rs, row) -> names.put(rs.getString(1), rs.getString(2)))
                .list();
        return names;
    }

    /**
     * Inserts or updates the WhatsApp-side columns of a batch; CRM columns are never in the statement.
     * Index: contacts (instance_id, jid) unique. Returns the rows it inserted or changed (unchanged rows are not
     * written at all).
     */
    List<Written> upsertContacts(long instanceId, List<MirroredContact> contacts) {
        int size = contacts.size();
        String[][] columns = new String[14][size];
        for (int i = 0; i < size; i++) {
            MirroredContact contact = contacts.get(i);
            columns[0][i] = contact.jid();
            columns[1][i] = contact.lid();
            columns[2][i] = contact.phone();
            columns[3][i] = contact.phoneKey();
            columns[4][i] = truncate(contact.pushName());
            columns[5][i] = truncate(contact.fullName());
            columns[6][i] = truncate(contact.firstName());
            columns[7][i] = truncate(contact.businessName());
            columns[8][i] = truncate(contact.chatName());
            columns[9][i] = Boolean.toString(contact.group());
            columns[10][i] = contact.inAddressBook() == null
                    ? null
                    : contact.inAddressBook().toString();
            columns[11][i] = truncate(contact.displayName());
            columns[12][i] = contact.sortName();
            columns[13][i] = contact.searchText();
        }
        return jdbc.sql("""
                        INSERT INTO contacts (instance_id, jid, lid, phone, phone_key, push_name, full_name, first_name,
                                              business_name, chat_name, is_group, in_address_book, display_name,
                                              sort_name, search_text)
                        SELECT ?, u.jid, u.lid, u.phone, u.phone_key, u.push_name, u.full_name, u.first_name,
                               u.business_name, u.chat_name, u.is_group::boolean, u.in_address_book::boolean,
                               u.display_name, u.sort_name, u.search_text
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                             AS u(jid, lid, phone, phone_key, push_name, full_name, first_name, business_name, chat_name,
                                  is_group, in_address_book, display_name, sort_name, search_text)
                        ON CONFLICT (instance_id, jid) DO UPDATE SET
                            lid = coalesce(contacts.lid, EXCLUDED.lid),
                            push_name = coalesce(EXCLUDED.push_name, contacts.push_name),
                            full_name = coalesce(EXCLUDED.full_name, contacts.full_name),
                            first_name = coalesce(EXCLUDED.first_name, contacts.first_name),
                            business_name = coalesce(EXCLUDED.business_name, contacts.business_name),
                            chat_name = coalesce(EXCLUDED.chat_name, contacts.chat_name),
                            in_address_book = coalesce(EXCLUDED.in_address_book, contacts.in_address_book),
                            display_name = EXCLUDED.display_name,
                            sort_name = EXCLUDED.sort_name,
                            search_text = EXCLUDED.search_text,
                            updated_at = now()
                        WHERE (contacts.lid, contacts.push_name, contacts.full_name, contacts.first_name,
                               contacts.business_name, contacts.chat_name, contacts.in_address_book, contacts.search_text)
                              IS DISTINCT FROM
                              (coalesce(contacts.lid, EXCLUDED.lid), coalesce(EXCLUDED.push_name, contacts.push_name),
                               coalesce(EXCLUDED.full_name, contacts.full_name),
                               coalesce(EXCLUDED.first_name, contacts.first_name),
                               coalesce(EXCLUDED.business_name, contacts.business_name),
                               coalesce(EXCLUDED.chat_name, contacts.chat_name),
                               coalesce(EXCLUDED.in_address_book, contacts.in_address_book), EXCLUDED.search_text)
                        RETURNING id, jid, xmax = 0 AS inserted, is_group""")
                .params(params(instanceId, columns))
                .query((rs, row) -> new Written(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)))
                .list();
    }

    /** A row the upsert inserted or changed. */
    record Written(long id, String jid, boolean inserted, boolean group) {}

    /** One change record of a batch, its data JSON. */
    record ContactChange(long contactId, ChangeType type, String data) {}

    /** New rows of people and of groups. */
    record Counts(long people, long groups) {}

    /** Upserts chats; the newest message wins, a missing field keeps what is stored. */
    void upsertChats(long instanceId, List<ChatUpsert> chats) {
        int size = chats.size();
        String[][] columns = new String[5][size];
        for (int i = 0; i < size; i++) {
            ChatUpsert chat = chats.get(i);
            columns[0][i] = chat.jid();
            columns[1][i] = truncate(chat.name());
            columns[2][i] = chat.lastMessageText();
            columns[3][i] =
                    chat.lastMessageAt() == null ? null : chat.lastMessageAt().toString();
            columns[4][i] =
                    chat.unreadCount() == null ? null : chat.unreadCount().toString();
        }
        jdbc.sql("""
                        INSERT INTO chats (instance_id, jid, name, last_message_text, last_message_at, unread_count)
                        SELECT ?, u.jid, u.name, u.text, u.at::timestamptz, u.unread::integer
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(jid, name, text, at, unread)
                        ON CONFLICT (instance_id, jid) DO UPDATE SET
                            name = coalesce(EXCLUDED.name, chats.name),
                            last_message_text = CASE WHEN EXCLUDED.last_message_at IS NOT NULL
                                    AND (chats.last_message_at IS NULL OR EXCLUDED.last_message_at >= chats.last_message_at)
                                THEN EXCLUDED.last_message_text ELSE chats.last_message_text END,
                            last_message_at = greatest(EXCLUDED.last_message_at, chats.last_message_at),
                            unread_count = coalesce(EXCLUDED.unread_count, chats.unread_count),
                            updated_at = now()
                        WHERE (chats.name, chats.last_message_at, chats.unread_count, chats.last_message_text) IS DISTINCT FROM
                              (coalesce(EXCLUDED.name, chats.name), greatest(EXCLUDED.last_message_at, chats.last_message_at),
                               coalesce(EXCLUDED.unread_count, chats.unread_count),
                               CASE WHEN EXCLUDED.last_message_at IS NOT NULL
                                    AND (chats.last_message_at IS NULL OR EXCLUDED.last_message_at >= chats.last_message_at)
                                THEN EXCLUDED.last_message_text ELSE chats.last_message_text END)""").params(params(instanceId, columns)).update();
    }

    record ChatUpsert(
            String jid, String name, String lastMessageText, java.time.Instant lastMessageAt, Integer unreadCount) {}

    void addToCounts(long instanceId, Counts delta) {
        if (delta.people() != 0 || delta.groups() != 0) {
            jdbc.sql("""
                            INSERT INTO contact_counts AS n (instance_id, contacts_count, groups_count)
                            VALUES (:id, greatest(0, :people), greatest(0, :groups))
                            ON CONFLICT (instance_id) DO UPDATE SET
                                contacts_count = greatest(0, n.contacts_count + :people),
                                groups_count = greatest(0, n.groups_count + :groups)""")
                    .param("id", instanceId)
                    .param("people", delta.people())
                    .param("groups", delta.groups())
                    .update();
        }
    }

    /** Counts exactly once a sync is complete, correcting any drift of the running counters. */
    long[] recount(long instanceId) {
        return jdbc.sql("""
                        INSERT INTO contact_counts (instance_id, contacts_count, groups_count)
                        SELECT i.id,
                               (SELECT count(*) FROM contacts WHERE instance_id = :id AND NOT is_group),
                               (SELECT count(*) FROM contacts WHERE instance_id = :id AND is_group)
                        FROM instances i WHERE i.id = :id
                        ON CONFLICT (instance_id) DO UPDATE SET
                            contacts_count = EXCLUDED.contacts_count, groups_count = EXCLUDED.groups_count
                        RETURNING contacts_count, groups_count""")
                .param("id", instanceId)
                .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .optional()
                .orElse(new long[2]);
    }

    Map<String, String> phoneJidsOfLids(long instanceId, Collection<String> lids) {
        Map<String, String> mapped = new HashMap<>();
        if (lids.isEmpty()) {
            return mapped;
        }
        jdbc.sql("""
                        SELECT m.lid_jid, m.phone_jid FROM unnest(?::text[]) AS u(lid)
                            CROSS JOIN LATERAL (SELECT lid_jid, phone_jid FROM identity_mappings
                                                WHERE instance_id = ? AND lid_jid = u.lid LIMIT 1) m""")
                .param(lids.toArray(String[]::new))
                .param(instanceId)
                .query((rs, row) -> mapped.put(rs.getString(1), rs.getString(2)))
                .list();
        return mapped;
    }

    /** A row a batch of mappings touches, locked until the batch commits. */
    record Locked(long id, String jid, String lid, String phoneKey, boolean group) {}

    /**
     * Locks, in id order, every row whose jid is one of the LIDs or whose phone key is one of the keys, and returns
     * them as they are now. Locking first means a CRM edit either commits before the mirror reads a row or waits for
     * the mirror's transaction; locking in id order means two such batches never deadlock. The rows are found first
     * and then locked by id alone: a row updated while the lock waited is re-checked against its id only, whereas
     * re-checking a join or sub-select then can drop the row (it happened, with a PATCH holding the phone row).
     * Indexes: contacts (instance_id, jid) unique, contacts_phone_key_idx, then the primary key.
     */
    List<Locked> lockForMappings(long instanceId, Collection<String> lids, Collection<String> phoneKeys) {
        return rowsForMappings(instanceId, lids, phoneKeys, true);
    }

    /**
     * The same rows unlocked: enough when a batch only stores mappings and gives phone rows their missing LID (a
     * guarded update), which is what a sync of new people does; locking a row writes to it.
     */
    List<Locked> rowsForMappings(long instanceId, Collection<String> lids, Collection<String> phoneKeys, boolean lock) {
        String[] ids = jdbc.sql(IDS_BY_JID_OR_PHONE_KEY)
                .param(lids.toArray(String[]::new))
                .param(instanceId)
                .param(phoneKeys.toArray(String[]::new))
                .param(instanceId)
                .query((rs, row) -> rs.getString(1))
                .list()
                .toArray(String[]::new);
        if (ids.length == 0) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT id, jid, lid, phone_key, is_group FROM contacts
                        WHERE id = ANY(?::text[]::bigint[])
                        ORDER BY id""" + (lock ? " FOR UPDATE" : ""))
                .param(ids)
                .query((rs, row) -> new Locked(
                        rs.getLong("id"),
                        rs.getString("jid"),
                        rs.getString("lid"),
                        rs.getString("phone_key"),
                        rs.getBoolean("is_group")))
                .list();
    }

    /** One LID mapped to one phone-number JID. */
    record Mapping(String lidJid, String phoneJid) {}

    /** Stores mappings (one per LID in the batch); a LID mapped again points to the latest phone-number JID. */
    void saveMappings(long instanceId, List<Mapping> mappings) {
        if (mappings.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO identity_mappings (instance_id, lid_jid, phone_jid)
                        SELECT ?, u.lid, u.phone FROM unnest(?::text[], ?::text[]) AS u(lid, phone)
                        ON CONFLICT (instance_id, lid_jid) DO UPDATE SET phone_jid = EXCLUDED.phone_jid
                        WHERE identity_mappings.phone_jid <> EXCLUDED.phone_jid""")
                .param(instanceId)
                .param(mappings.stream().map(Mapping::lidJid).toArray(String[]::new))
                .param(mappings.stream().map(Mapping::phoneJid).toArray(String[]::new))
                .update();
    }

    /** The LID-keyed row {@code sourceId} of a person is folded into their phone-number row {@code survivorId}. */
    record Merge(long sourceId, long survivorId, String lidJid) {}

    /**
     * Folds LID rows into the phone-number rows of the same people, in one statement: the DELETE returns each LID
     * row as last committed, the survivor takes it in, the deleted id becomes an alias of the survivor, and the
     * counters drop by the rows actually deleted (a row someone else merged already counts nothing).
     * <p>Per CRM field the value changed most recently wins ({@code *_changed_at}; a field never changed through the
     * API loses to one that was, and between two such the phone row's non-null value wins). Notes that differ are
     * both kept, newer first; custom data is merged deeply, the newer side winning conflicts. The deleted row is kept
     * whole in {@code contact_aliases.merged_row}. Returns how many rows were merged.
     */
    int merge(long instanceId, List<Merge> merges) {
        if (merges.isEmpty()) {
            return 0;
        }
        var counts = jdbc.sql("""
                        WITH gone AS (
                            DELETE FROM contacts l
                            USING unnest(?::text[], ?::text[], ?::text[]) AS u(source_id, survivor_id, lid)
                                  JOIN contacts s ON s.id = u.survivor_id::bigint AND s.instance_id = ?
                            WHERE l.instance_id = ? AND l.id = u.source_id::bigint
                            RETURNING l.*, s.id AS survivor, u.lid AS mapped_lid
                        ), merged AS (
                            UPDATE contacts p SET
                                lid = g.mapped_lid,
                                push_name = coalesce(p.push_name, g.push_name),
                                full_name = coalesce(p.full_name, g.full_name),
                                first_name = coalesce(p.first_name, g.first_name),
                                business_name = coalesce(p.business_name, g.business_name),
                                chat_name = coalesce(p.chat_name, g.chat_name),
                                in_address_book = coalesce(p.in_address_book, g.in_address_book),
                                profile_picture_url = coalesce(p.profile_picture_url, g.profile_picture_url),
                                profile_picture_id = coalesce(p.profile_picture_id, g.profile_picture_id),
                                %s,
                                %s,
                                %s,
                                notes = CASE WHEN p.notes IS NOT NULL AND g.notes IS NOT NULL AND p.notes <> g.notes
                                             THEN CASE WHEN %s THEN g.notes || E'\\n\\n' || p.notes
                                                       ELSE p.notes || E'\\n\\n' || g.notes END
                                             ELSE %s END,
                                notes_changed_at = greatest(p.notes_changed_at, g.notes_changed_at),
                                custom_data = CASE WHEN %s THEN jsonb_deep_merge(p.custom_data, g.custom_data)
                                                   ELSE jsonb_deep_merge(g.custom_data, p.custom_data) END,
                                custom_data_changed_at = greatest(p.custom_data_changed_at, g.custom_data_changed_at),
                                show_time_in_stage = CASE WHEN %s THEN g.show_time_in_stage
                                                          WHEN p.show_time_in_stage_changed_at IS NOT NULL THEN p.show_time_in_stage
                                                          ELSE p.show_time_in_stage OR g.show_time_in_stage END,
                                show_time_in_stage_changed_at = greatest(p.show_time_in_stage_changed_at, g.show_time_in_stage_changed_at),
                                saved_at = coalesce(least(p.saved_at, g.saved_at), p.saved_at, g.saved_at),
                                created_at = least(p.created_at, g.created_at),
                                version = greatest(p.version, g.version) + 1,
                                updated_at = now()
                            FROM gone g
                            WHERE p.id = g.survivor
                            RETURNING p.id
                        ), aliased AS (
                            INSERT INTO contact_aliases (old_id, instance_id, survivor_id, merged_row)
                            SELECT g.id, g.instance_id, g.survivor, to_jsonb(g) - 'survivor' - 'mapped_lid' FROM gone g
                        ), repointed AS (
                            UPDATE contact_aliases a SET survivor_id = g.survivor FROM gone g WHERE a.survivor_id = g.id
                        ), counted AS (
                            UPDATE contact_counts SET
                                contacts_count = greatest(0, contacts_count - (SELECT count(*) FROM gone WHERE NOT is_group)),
                                groups_count = greatest(0, groups_count - (SELECT count(*) FROM gone WHERE is_group))
                            WHERE instance_id = ? AND EXISTS (SELECT 1 FROM gone)
                        )
                        SELECT (SELECT count(*) FROM gone) AS deleted, (SELECT count(*) FROM merged) AS merged""".formatted(
                                newest("assigned_user_id", "assigned_user_changed_at"),
                                newest("assigned_department_id", "assigned_department_changed_at"),
                                newest("funnel_stage_id", "funnel_stage_changed_at"),
                                lidSideNewer("notes_changed_at"),
                                newestValue("notes", "notes_changed_at"),
                                lidSideNewer("custom_data_changed_at"),
                                lidSideNewer("show_time_in_stage_changed_at")))
                .param(merges.stream()
                        .map(merge -> Long.toString(merge.sourceId()))
                        .toArray(String[]::new))
                .param(merges.stream()
                        .map(merge -> Long.toString(merge.survivorId()))
                        .toArray(String[]::new))
                .param(merges.stream().map(Merge::lidJid).toArray(String[]::new))
                .param(instanceId)
                .param(instanceId)
                .param(instanceId)
                .query((rs, row) -> new long[] {rs.getLong("deleted"), rs.getLong("merged")})
                .single();
        if (counts[0] != counts[1]) {
            // Cannot happen while the rows are locked; rolling back beats deleting a row nobody took in.
            throw new IllegalStateException("Merged " + counts[1] + " rows but deleted " + counts[0] + "; rolled back");
        }
        return (int) counts[0];
    }

    /** {@code column = <newest value>, changedAt = <the later time>} for one CRM field of a merge. */
    private static String newest(String column, String changedAt) {
        return column + " = " + newestValue(column, changedAt) + ",\n" + changedAt + " = greatest(p." + changedAt
                + ", g." + changedAt + ")";
    }

    private static String newestValue(String column, String changedAt) {
        return "CASE WHEN " + lidSideNewer(changedAt) + " THEN g." + column
                + " WHEN p." + changedAt + " IS NOT NULL THEN p." + column
                + " ELSE coalesce(p." + column + ", g." + column + ") END";
    }

    private static String lidSideNewer(String changedAt) {
        return "coalesce(g." + changedAt + ", '-infinity') > coalesce(p." + changedAt + ", '-infinity')";
    }

    /** A LID-only row that becomes the row of its phone-number JID. */
    record Rekey(long id, String phoneJid, String lidJid) {}

    /** Re-keys LID-only rows to their people's phone-number JIDs (the id stays). */
    void rekey(long instanceId, List<Rekey> rekeys) {
        if (rekeys.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE contacts c SET jid = u.jid, lid = u.lid, phone = u.phone, phone_key = u.phone_key,
                                              version = c.version + 1, updated_at = now()
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(id, jid, lid, phone, phone_key)
                        WHERE c.instance_id = ? AND c.id = u.id::bigint""")
                .param(rekeys.stream().map(rekey -> Long.toString(rekey.id())).toArray(String[]::new))
                .param(rekeys.stream().map(Rekey::phoneJid).toArray(String[]::new))
                .param(rekeys.stream().map(Rekey::lidJid).toArray(String[]::new))
                .param(rekeys.stream()
                        .map(rekey -> Jids.phoneOf(rekey.phoneJid()).orElseThrow())
                        .toArray(String[]::new))
                .param(rekeys.stream()
                        .map(rekey ->
                                Jids.phoneKey(Jids.phoneOf(rekey.phoneJid()).orElseThrow()))
                        .toArray(String[]::new))
                .param(instanceId)
                .update();
    }

    /** Gives phone-number rows without a LID their LID; returns the ids of the rows that took it. */
    List<Long> setLids(long instanceId, Map<Long, String> lidById) {
        if (lidById.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        UPDATE contacts c SET lid = u.lid, updated_at = now()
                        FROM unnest(?::text[], ?::text[]) AS u(id, lid)
                        WHERE c.instance_id = ? AND c.id = u.id::bigint AND c.lid IS NULL
                        RETURNING c.id""")
                .param(lidById.keySet().stream().map(String::valueOf).toArray(String[]::new))
                .param(lidById.values().toArray(String[]::new))
                .param(instanceId)
                .query(Long.class)
                .list();
    }

    /**
     * Moves LID-keyed chats to the phone-number JID (target per LID); where the phone-number chat exists already, the
     * LID chat is dropped. Both statements see the same snapshot, so each chat is either moved or dropped.
     */
    void rekeyChats(long instanceId, Map<String, String> targetByLid) {
        if (targetByLid.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        WITH u AS (SELECT * FROM unnest(?::text[], ?::text[]) AS u(lid, target)),
                        moved AS (
                            UPDATE chats c SET jid = u.target, updated_at = now()
                            FROM u
                            WHERE c.instance_id = ? AND c.jid = u.lid
                              AND NOT EXISTS (SELECT 1 FROM chats t WHERE t.instance_id = ? AND t.jid = u.target)
                        )
                        DELETE FROM chats c USING u
                        WHERE c.instance_id = ? AND c.jid = u.lid
                          AND EXISTS (SELECT 1 FROM chats t WHERE t.instance_id = ? AND t.jid = u.target)""")
                .param(targetByLid.keySet().toArray(String[]::new))
                .param(targetByLid.values().toArray(String[]::new))
                .param(instanceId)
                .param(instanceId)
                .param(instanceId)
                .param(instanceId)
                .update();
    }

    /** Copies chat names onto contact rows, where search and listing read them; returns the rows that changed. */
    List<String> copyChatNames(long instanceId, List<ChatUpsert> chats) {
        List<String> jids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ChatUpsert chat : chats) {
            if (chat.name() != null && !chat.name().isBlank()) {
                jids.add(chat.jid());
                names.add(truncate(chat.name()));
            }
        }
        if (jids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        UPDATE contacts c SET chat_name = t.name, updated_at = now()
                        FROM (SELECT r.id, u.name FROM unnest(?::text[], ?::text[]) AS u(jid, name)
                                  CROSS JOIN LATERAL (SELECT id FROM contacts WHERE instance_id = ? AND jid = u.jid LIMIT 1) r) t
                        WHERE c.id = t.id AND c.chat_name IS DISTINCT FROM t.name
                        RETURNING c.jid""")
                .param(jids.toArray(String[]::new))
                .param(names.toArray(String[]::new))
                .param(instanceId)
                .query(String.class)
                .list();
    }

    /** A contact whose shown name changed: old and new value of the API's {@code name}. */
    record NameChange(long id, String oldName, String newName) {}

    /**
     * Recomputes the derived columns of rows whose names changed outside the bulk path (merges, chat names); returns
     * the rows whose shown name changed. The self-join reads each row as it was before this statement.
     */
    List<NameChange> refreshDerived(long instanceId, Collection<String> jids) {
        if (jids.isEmpty()) {
            return List.of();
        }
        List<Stored> current =
                List.copyOf(findExisting(instanceId, jids, List.of()).values());
        if (current.isEmpty()) {
            return List.of();
        }
        String[][] columns = new String[4][current.size()];
        for (int i = 0; i < current.size(); i++) {
            MirroredContact contact = current.get(i).contact();
            columns[0][i] = Long.toString(current.get(i).id());
            columns[1][i] = truncate(contact.displayName());
            columns[2][i] = contact.sortName();
            columns[3][i] = contact.searchText();
        }
        return jdbc
                .sql("""
                        UPDATE contacts c SET display_name = u.display_name, sort_name = u.sort_name, search_text = u.search_text
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS u(id, display_name, sort_name, search_text),
                             contacts o
                        WHERE c.id = u.id::bigint AND o.id = c.id
                          AND (c.display_name, c.sort_name, c.search_text) IS DISTINCT FROM (u.display_name, u.sort_name, u.search_text)
                        RETURNING c.id, coalesce(o.display_name, o.phone, o.jid), coalesce(c.display_name, c.phone, c.jid)""")
                .param(columns[0])
                .param(columns[1])
                .param(columns[2])
                .param(columns[3])
                .query((rs, row) -> new NameChange(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list()
                .stream()
                .filter(change -> !change.oldName().equals(change.newName()))
                .toList();
    }

    /** Replaces the members of each given group, all groups in two statements. */
    void saveParticipants(long instanceId, Map<String, List<String>> participantsByGroup) {
        if (participantsByGroup.isEmpty()) {
            return;
        }
        jdbc.sql("DELETE FROM group_participants WHERE instance_id = ? AND group_jid = ANY(?::text[])")
                .param(instanceId)
                .param(participantsByGroup.keySet().toArray(String[]::new))
                .update();
        List<String> groups = new ArrayList<>();
        List<String> participants = new ArrayList<>();
        participantsByGroup.forEach((group, members) -> members.forEach(member -> {
            groups.add(group);
            participants.add(member);
        }));
        jdbc.sql("""
                        INSERT INTO group_participants (instance_id, group_jid, participant_jid)
                        SELECT ?, u.group_jid, u.participant_jid FROM unnest(?::text[], ?::text[]) AS u(group_jid, participant_jid)
                        ON CONFLICT DO NOTHING""")
                .param(instanceId)
                .param(groups.toArray(String[]::new))
                .param(participants.toArray(String[]::new))
                .update();
    }

    private static List<Object> params(long instanceId, String[][] columns) {
        List<Object> params = new ArrayList<>();
        params.add(instanceId);
        params.addAll(List.of((Object[]) columns));
        return params;
    }

    static String truncate(String value) {
        return value == null || value.length() <= 300 ? value : value.substring(0, 300);
    }
}
