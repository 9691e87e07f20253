package io.contactmirror.contact;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads and CRM writes of contacts. Every query is scoped by instance id, which the caller resolved for the tenant. */
@Repository
class ContactRepository {

    private static final String SELECT = """
            SELECT c.*, ch.id AS chat_id, ch.name AS chat_name_value, ch.last_message_text, ch.last_message_at,
                   ch.unread_count
            FROM contacts c LEFT JOIN chats ch ON ch.instance_id = c.instance_id AND ch.jid = c.jid
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RowMapper<Contact> rowMapper;

    ContactRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rowMapper = this::map;
    }

    /**
     * One page in the documented order (name, then id). Index: contacts_list_idx (instance_id, sort_name, id); with a
     * search, contacts_search_idx (GIN on instance_id, search_text gin_trgm_ops) finds the matches.
     */
    List<Contact> page(long instanceId, String likePattern, boolean includeGroups, long offset, int limit) {
        return jdbc.sql(SELECT + "WHERE c.instance_id = :instance" + filters(likePattern, includeGroups)
                        + " ORDER BY c.sort_name, c.id OFFSET :offset LIMIT :limit")
                .param("instance", instanceId)
                .param("pattern", likePattern)
                .param("offset", offset)
                .param("limit", limit)
                .query(rowMapper)
                .list();
    }

    /** The next chunk after (sortName, id), for exports that walk a whole instance. Index: contacts_list_idx. */
    List<Contact> after(long instanceId, boolean includeGroups, String sortName, long id, int limit) {
        return jdbc.sql(SELECT + """
                        WHERE c.instance_id = :instance AND (:groups OR NOT c.is_group)
                          AND (c.sort_name, c.id) > (CAST(:sortName AS varchar) COLLATE "C", :id)
                        ORDER BY c.sort_name, c.id LIMIT :limit""")
                .param("instance", instanceId)
                .param("groups", includeGroups)
                .param("sortName", sortName)
                .param("id", id)
                .param("limit", limit)
                .query(rowMapper)
                .list();
    }

    /** Matches of a search. Index: contacts_search_idx. */
    long count(long instanceId, String likePattern, boolean includeGroups) {
        return jdbc.sql("SELECT count(*) FROM contacts c WHERE c.instance_id = :instance" + filters(likePattern, includeGroups))
                .param("instance", instanceId)
                .param("pattern", likePattern)
                .query(Long.class)
                .single();
    }

    /**
     * Literal filters rather than {@code (:groups OR NOT is_group)}: only a literal {@code NOT c.is_group} lets the
     * planner use the partial index contacts_list_people_idx.
     */
    private static String filters(String likePattern, boolean includeGroups) {
        return (includeGroups ? "" : " AND NOT c.is_group")
                + (likePattern == null ? "" : " AND c.search_text LIKE :pattern ESCAPE '\\'");
    }

    /** A contact by id; the caller checks that its instance is visible to the tenant. */
    Optional<Contact> findById(long id) {
        return jdbc.sql(SELECT + " WHERE c.id = :id").param("id", id).query(rowMapper).optional();
    }

    /** A contact by id, locked until the transaction ends, so a merge cannot fold it away in between. */
    Optional<Contact> lockById(long id) {
        return jdbc.sql(SELECT + " WHERE c.id = :id FOR UPDATE OF c").param("id", id).query(rowMapper).optional();
    }

    /** The row a merged-away contact id now lives on. Index: contact_aliases primary key. */
    Optional<Long> survivorOf(long id) {
        return jdbc.sql("SELECT survivor_id FROM contact_aliases WHERE old_id = ?").param(id).query(Long.class).optional();
    }

    /** A contact by phone (either Brazilian form), phone-number JID, LID or group JID. */
    Optional<Contact> findByIdentity(long instanceId, String jid) {
        String phoneKey = Jids.phoneOf(jid).map(Jids::phoneKey).orElse(null);
        return jdbc.sql(SELECT + """
                        WHERE c.instance_id = :instance
                          AND (c.jid = :jid OR c.lid = :jid OR (CAST(:phoneKey AS text) IS NOT NULL AND c.phone_key = :phoneKey))
                        ORDER BY (c.jid = :jid) DESC LIMIT 1""")
                .param("instance", instanceId)
                .param("jid", jid)
                .param("phoneKey", phoneKey)
                .query(rowMapper)
                .optional();
    }

    List<Contact> findByIdentities(long instanceId, Collection<String> jids, Collection<String> phoneKeys) {
        return jdbc.sql(SELECT + """
                        WHERE c.instance_id = ? AND (c.jid = ANY(?) OR c.lid = ANY(?) OR c.phone_key = ANY(?))""")
                .param(instanceId)
                .param(jids.toArray(String[]::new))
                .param(jids.toArray(String[]::new))
                .param(phoneKeys.toArray(String[]::new))
                .query(rowMapper)
                .list();
    }

    List<String> participants(long instanceId, String groupJid) {
        return jdbc.sql("SELECT participant_jid FROM group_participants WHERE instance_id = ? AND group_jid = ?")
                .param(instanceId)
                .param(groupJid)
                .query(String.class)
                .list();
    }

    /** Saves a number or chat as a CRM contact; returns the id and whether the row is new. */
    record Saved(long id, boolean created) {}

    Saved save(long instanceId, String jid, String name) {
        String phone = Jids.phoneOf(jid).orElse(null);
        var contact = new MirroredContact(jid, Jids.isLid(jid) ? jid : null, null, name, null, null, null, null);
        return jdbc.sql("""
                        INSERT INTO contacts (instance_id, jid, lid, phone, phone_key, full_name, is_group, display_name,
                                              sort_name, search_text, saved_at)
                        VALUES (:instance, :jid, :lid, :phone, :phoneKey, :name, :group, :display, :sort, :search, now())
                        ON CONFLICT (instance_id, jid) DO UPDATE SET saved_at = coalesce(contacts.saved_at, now())
                        RETURNING id, (xmax = 0) AS created""")
                .param("instance", instanceId)
                .param("jid", jid)
                .param("lid", contact.lid())
                .param("phone", phone)
                .param("phoneKey", contact.phoneKey())
                .param("name", name)
                .param("group", contact.group())
                .param("display", contact.displayName())
                .param("sort", contact.sortName())
                .param("search", contact.searchText())
                .query((rs, row) -> new Saved(rs.getLong("id"), rs.getBoolean("created")))
                .single();
    }

    /**
     * Writes CRM fields if the row still has the expected version; false when someone else changed it first. Each
     * field that changes gets its change time, which decides what a merge keeps.
     */
    boolean updateCrm(Contact updated, long expectedVersion, boolean stageChanged) {
        return jdbc.sql("""
                        UPDATE contacts SET assigned_user_id = :user, assigned_department_id = :department,
                               funnel_stage_id = :stage,
                               funnel_stage_changed_at = CASE WHEN :stageChanged THEN now() ELSE funnel_stage_changed_at END,
                               notes = :notes, custom_data = CAST(:customData AS jsonb), show_time_in_stage = :showTime,
                               assigned_user_changed_at = CASE WHEN assigned_user_id IS DISTINCT FROM :user
                                   THEN now() ELSE assigned_user_changed_at END,
                               assigned_department_changed_at = CASE WHEN assigned_department_id IS DISTINCT FROM :department
                                   THEN now() ELSE assigned_department_changed_at END,
                               notes_changed_at = CASE WHEN notes IS DISTINCT FROM :notes
                                   THEN now() ELSE notes_changed_at END,
                               custom_data_changed_at = CASE WHEN custom_data IS DISTINCT FROM CAST(:customData AS jsonb)
                                   THEN now() ELSE custom_data_changed_at END,
                               show_time_in_stage_changed_at = CASE WHEN show_time_in_stage IS DISTINCT FROM :showTime
                                   THEN now() ELSE show_time_in_stage_changed_at END,
                               saved_at = coalesce(saved_at, now()), version = version + 1, updated_at = now()
                        WHERE id = :id AND version = :version""")
                        .param("user", updated.assignedUserId())
                        .param("department", updated.assignedDepartmentId())
                        .param("stage", updated.funnelStageId())
                        .param("stageChanged", stageChanged)
                        .param("notes", updated.notes())
                        .param("customData", json.writeValueAsString(updated.customData()))
                        .param("showTime", updated.showTimeInStage())
                        .param("id", updated.id())
                        .param("version", expectedVersion)
                        .update()
                == 1;
    }

    void savePicture(long instanceId, String jid, String url, String pictureId) {
        jdbc.sql("""
                        UPDATE contacts SET profile_picture_url = :url, profile_picture_id = :pictureId, updated_at = now()
                        WHERE instance_id = :instance AND jid = :jid
                          AND (profile_picture_url, profile_picture_id) IS DISTINCT FROM (:url, :pictureId)""")
                .param("url", url)
                .param("pictureId", pictureId)
                .param("instance", instanceId)
                .param("jid", jid)
                .update();
    }

    private Contact map(ResultSet rs, int row) throws SQLException {
        long chatId = rs.getLong("chat_id");
        Contact.Chat chat = rs.wasNull()
                ? null
                : new Contact.Chat(
                        chatId,
                        rs.getString("chat_name_value"),
                        rs.getString("last_message_text"),
                        instant(rs, "last_message_at"),
                        (Integer) rs.getObject("unread_count"));
        return new Contact(
                rs.getLong("id"),
                rs.getLong("instance_id"),
                rs.getString("jid"),
                rs.getString("lid"),
                rs.getString("phone"),
                rs.getString("push_name"),
                rs.getString("full_name"),
                rs.getString("first_name"),
                rs.getString("business_name"),
                rs.getString("display_name"),
                rs.getString("sort_name"),
                rs.getBoolean("is_group"),
                rs.getString("profile_picture_url"),
                rs.getString("profile_picture_id"),
                rs.getString("assigned_user_id"),
                rs.getString("assigned_department_id"),
                rs.getString("funnel_stage_id"),
                instant(rs, "funnel_stage_changed_at"),
                rs.getString("notes"),
                json.readTree(rs.getString("custom_data")),
                rs.getBoolean("show_time_in_stage"),
                rs.getLong("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                chat);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
