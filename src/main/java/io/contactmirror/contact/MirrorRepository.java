package io.contactmirror.contact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Set-based writes of the mirror: one statement per batch, arrays unnested server-side. */
@Repository
class MirrorRepository {

    private final JdbcClient jdbc;

    MirrorRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored row as the mirror needs it to merge, keyed by jid. */
    record Stored(long id, MirroredContact contact) {}

    /** Existing rows of an instance whose jid, phone key or LID is among the given ones. */
    Map<String, Stored> findExisting(long instanceId, Collection<String> jids, Collection<String> phoneKeys) {
        Map<String, Stored> found = new HashMap<>();
        jdbc.sql("""
                        SELECT id, jid, lid, push_name, full_name, first_name, business_name, chat_name, in_address_book
                        FROM contacts
                        WHERE instance_id = ? AND (jid = ANY(?) OR phone_key = ANY(?))""")
                .param(instanceId)
                .param(jids.toArray(String[]::new))
                .param(phoneKeys.toArray(String[]::new))
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

    /**
     * Inserts or updates the WhatsApp-side columns of a batch; CRM columns are never in the statement.
     * Index: contacts (instance_id, jid) unique. Returns how many rows were new.
     */
    Counts upsertContacts(long instanceId, List<MirroredContact> contacts) {
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
            columns[10][i] = contact.inAddressBook() == null ? null : contact.inAddressBook().toString();
            columns[11][i] = truncate(contact.displayName());
            columns[12][i] = contact.sortName();
            columns[13][i] = contact.searchText();
        }
        List<Boolean> insertedGroups = jdbc.sql("""
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
                            lid = coalesce(EXCLUDED.lid, contacts.lid),
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
                              (coalesce(EXCLUDED.lid, contacts.lid), coalesce(EXCLUDED.push_name, contacts.push_name),
                               coalesce(EXCLUDED.full_name, contacts.full_name),
                               coalesce(EXCLUDED.first_name, contacts.first_name),
                               coalesce(EXCLUDED.business_name, contacts.business_name),
                               coalesce(EXCLUDED.chat_name, contacts.chat_name),
                               coalesce(EXCLUDED.in_address_book, contacts.in_address_book), EXCLUDED.search_text)
                        RETURNING CASE WHEN xmax = 0 THEN is_group END""")
                .params(params(instanceId, columns))
                .query((rs, row) -> (Boolean) rs.getObject(1))
                .list();
        int groups = 0;
        int people = 0;
        for (Boolean group : insertedGroups) {
            if (group != null) {
                if (group) {
                    groups++;
                } else {
                    people++;
                }
            }
        }
        return new Counts(people, groups);
    }

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
            columns[3][i] = chat.lastMessageAt() == null ? null : chat.lastMessageAt().toString();
            columns[4][i] = chat.unreadCount() == null ? null : chat.unreadCount().toString();
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
                            updated_at = now()""")
                .params(params(instanceId, columns))
                .update();
    }

    record ChatUpsert(String jid, String name, String lastMessageText, java.time.Instant lastMessageAt, Integer unreadCount) {}

    void addToCounts(long instanceId, Counts delta) {
        if (delta.people() != 0 || delta.groups() != 0) {
            jdbc.sql("""
                            UPDATE instances SET contacts_count = greatest(0, contacts_count + ?),
                                                 groups_count = greatest(0, groups_count + ?)
                            WHERE id = ?""")
                    .param(delta.people())
                    .param(delta.groups())
                    .param(instanceId)
                    .update();
        }
    }

    /** Counts exactly once a sync is complete, correcting any drift of the running counters. */
    void recount(long instanceId) {
        jdbc.sql("""
                        UPDATE instances SET
                            contacts_count = (SELECT count(*) FROM contacts WHERE instance_id = :id AND NOT is_group),
                            groups_count = (SELECT count(*) FROM contacts WHERE instance_id = :id AND is_group)
                        WHERE id = :id""")
                .param("id", instanceId)
                .update();
    }

    Map<String, String> phoneJidsOfLids(long instanceId, Collection<String> lids) {
        Map<String, String> mapped = new HashMap<>();
        if (lids.isEmpty()) {
            return mapped;
        }
        jdbc.sql("SELECT lid_jid, phone_jid FROM identity_mappings WHERE instance_id = ? AND lid_jid = ANY(?)")
                .param(instanceId)
                .param(lids.toArray(String[]::new))
                .query((rs, row) -> mapped.put(rs.getString(1), rs.getString(2)))
                .list();
        return mapped;
    }

    void saveMapping(long instanceId, String lidJid, String phoneJid) {
        jdbc.sql("""
                        INSERT INTO identity_mappings (instance_id, lid_jid, phone_jid) VALUES (?, ?, ?)
                        ON CONFLICT (instance_id, lid_jid) DO UPDATE SET phone_jid = EXCLUDED.phone_jid""")
                .param(instanceId)
                .param(lidJid)
                .param(phoneJid)
                .update();
    }

    /**
     * Folds the LID-keyed row into the phone-keyed row of the same person: WhatsApp names and CRM fields the phone row
     * lacks come from the LID row, notes are kept from both, custom data is merged (phone row wins per key).
     */
    void mergeInto(long targetId, long sourceId, String lidJid) {
        jdbc.sql("""
                        UPDATE contacts p SET
                            lid = ?,
                            push_name = coalesce(p.push_name, l.push_name),
                            full_name = coalesce(p.full_name, l.full_name),
                            first_name = coalesce(p.first_name, l.first_name),
                            business_name = coalesce(p.business_name, l.business_name),
                            chat_name = coalesce(p.chat_name, l.chat_name),
                            in_address_book = coalesce(p.in_address_book, l.in_address_book),
                            profile_picture_url = coalesce(p.profile_picture_url, l.profile_picture_url),
                            profile_picture_id = coalesce(p.profile_picture_id, l.profile_picture_id),
                            assigned_user_id = coalesce(p.assigned_user_id, l.assigned_user_id),
                            assigned_department_id = coalesce(p.assigned_department_id, l.assigned_department_id),
                            funnel_stage_changed_at = CASE WHEN p.funnel_stage_id IS NULL
                                THEN l.funnel_stage_changed_at ELSE p.funnel_stage_changed_at END,
                            funnel_stage_id = coalesce(p.funnel_stage_id, l.funnel_stage_id),
                            notes = CASE WHEN p.notes IS NULL THEN l.notes
                                         WHEN l.notes IS NULL OR l.notes = p.notes THEN p.notes
                                         ELSE p.notes || E'\\n\\n' || l.notes END,
                            custom_data = l.custom_data || p.custom_data,
                            show_time_in_stage = p.show_time_in_stage OR l.show_time_in_stage,
                            saved_at = coalesce(least(p.saved_at, l.saved_at), p.saved_at, l.saved_at),
                            created_at = least(p.created_at, l.created_at),
                            version = p.version + 1,
                            updated_at = now()
                        FROM contacts l
                        WHERE p.id = ? AND l.id = ?""")
                .param(lidJid)
                .param(targetId)
                .param(sourceId)
                .update();
        jdbc.sql("DELETE FROM contacts WHERE id = ?").param(sourceId).update();
    }

    /** Re-keys a LID-only row to the person's phone-number JID. */
    void rekey(long id, String phoneJid, String lidJid) {
        String phone = Jids.phoneOf(phoneJid).orElseThrow();
        jdbc.sql("""
                        UPDATE contacts SET jid = ?, lid = ?, phone = ?, phone_key = ?, version = version + 1, updated_at = now()
                        WHERE id = ?""")
                .param(phoneJid)
                .param(lidJid)
                .param(phone)
                .param(Jids.phoneKey(phone))
                .param(id)
                .update();
    }

    /** Moves a LID-keyed chat to the phone-number JID, unless the phone-number chat already exists. */
    void rekeyChat(long instanceId, String lidJid, String phoneJid) {
        jdbc.sql("""
                        UPDATE chats SET jid = ?, updated_at = now()
                        WHERE instance_id = ? AND jid = ?
                          AND NOT EXISTS (SELECT 1 FROM chats c WHERE c.instance_id = ? AND c.jid = ?)""")
                .param(phoneJid)
                .param(instanceId)
                .param(lidJid)
                .param(instanceId)
                .param(phoneJid)
                .update();
        jdbc.sql("DELETE FROM chats WHERE instance_id = ? AND jid = ?").param(instanceId).param(lidJid).update();
    }

    /** Copies chat names onto contact rows, where search and listing read them. */
    void copyChatNames(long instanceId, List<ChatUpsert> chats) {
        List<String> jids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ChatUpsert chat : chats) {
            if (chat.name() != null && !chat.name().isBlank()) {
                jids.add(chat.jid());
                names.add(truncate(chat.name()));
            }
        }
        if (jids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE contacts c SET chat_name = u.name, updated_at = now()
                        FROM unnest(?::text[], ?::text[]) AS u(jid, name)
                        WHERE c.instance_id = ? AND c.jid = u.jid AND c.chat_name IS DISTINCT FROM u.name""")
                .param(jids.toArray(String[]::new))
                .param(names.toArray(String[]::new))
                .param(instanceId)
                .update();
    }

    /** Recomputes the derived columns of rows whose names changed outside the bulk path (merges, chat names). */
    void refreshDerived(long instanceId, Collection<String> jids) {
        if (jids.isEmpty()) {
            return;
        }
        List<MirroredContact> current = new ArrayList<>(findExisting(instanceId, jids, List.of()).values().stream()
                .map(Stored::contact)
                .toList());
        if (current.isEmpty()) {
            return;
        }
        String[][] columns = new String[4][current.size()];
        for (int i = 0; i < current.size(); i++) {
            columns[0][i] = current.get(i).jid();
            columns[1][i] = truncate(current.get(i).displayName());
            columns[2][i] = current.get(i).sortName();
            columns[3][i] = current.get(i).searchText();
        }
        jdbc.sql("""
                        UPDATE contacts c SET display_name = u.display_name, sort_name = u.sort_name, search_text = u.search_text
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS u(jid, display_name, sort_name, search_text)
                        WHERE c.instance_id = ? AND c.jid = u.jid""")
                .param(columns[0])
                .param(columns[1])
                .param(columns[2])
                .param(columns[3])
                .param(instanceId)
                .update();
    }

    void saveParticipants(long instanceId, String groupJid, List<String> participants) {
        jdbc.sql("DELETE FROM group_participants WHERE instance_id = ? AND group_jid = ?")
                .param(instanceId)
                .param(groupJid)
                .update();
        jdbc.sql("""
                        INSERT INTO group_participants (instance_id, group_jid, participant_jid)
                        SELECT ?, ?, p FROM unnest(?::text[]) AS p ON CONFLICT DO NOTHING""")
                .param(instanceId)
                .param(groupJid)
                .param(participants.toArray(String[]::new))
                .update();
    }

    private static List<Object> params(long instanceId, String[][] columns) {
        List<Object> params = new ArrayList<>();
        params.add(instanceId);
        params.addAll(List.of((Object[]) columns));
        return params;
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 300 ? value : value.substring(0, 300);
    }
}
