package io.contactmirror.changelog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the per-instance change log. Writes join the caller's transaction (they are mandatory there): a
 * change is stored together with the write it describes, or not at all.
 */
@Component
public class ChangeLog {

    /** The channel a commit with new changes notifies; the payload is the instance id. */
    public static final String CHANNEL = "contact_changes";

    private static final int FORGET_BATCH = 10_000;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ChangeLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Appends one change and returns its sequence number. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long append(
            long instanceId, ChangeType type, @Nullable Long contactId, JsonNode data, @Nullable String actor) {
        long seq = reserve(instanceId, 1);
        jdbc.sql("""
                        INSERT INTO changes (instance_id, seq, type, contact_id, data, actor)
                        VALUES (:instance, :seq, :type, :contact, CAST(:data AS jsonb), :actor)""")
                .param("instance", instanceId)
                .param("seq", seq)
                .param("type", type.wireName())
                .param("contact", contactId)
                .param("data", json.writeValueAsString(data))
                .param("actor", actor)
                .update();
        return seq;
    }

    /** One change of a batch, its data already JSON. */
    public record Entry(ChangeType type, @Nullable Long contactId, String data) {}

    /**
     * Appends a batch of changes with consecutive sequence numbers, in their order, in one statement: what a sync
     * batch of thousands of contacts writes.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendAll(long instanceId, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long first = reserve(instanceId, entries.size());
        jdbc.sql("""
                        INSERT INTO changes (instance_id, seq, type, contact_id, data)
                        SELECT :instance, :first + u.ord - 1, u.type, CAST(u.contact AS bigint), CAST(u.data AS jsonb)
                        FROM unnest(CAST(:contacts AS text[]), CAST(:types AS text[]), CAST(:data AS text[]))
                             WITH ORDINALITY AS u(contact, type, data, ord)""")
                .param("instance", instanceId)
                .param("first", first)
                .param(
                        "contacts",
                        entries.stream()
                                .map(entry -> entry.contactId() == null
                                        ? null
                                        : entry.contactId().toString())
                                .toArray(String[]::new))
                .param(
                        "types",
                        entries.stream().map(entry -> entry.type().wireName()).toArray(String[]::new))
                .param("data", entries.stream().map(Entry::data).toArray(String[]::new))
                .update();
    }

    /**
     * Reserves {@code count} consecutive sequence numbers and returns the first, for a set-based insert of that many
     * changes by the caller in the same transaction. The instance's sequence row stays locked until commit.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long reserve(long instanceId, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        long last = jdbc.sql("""
                        INSERT INTO change_sequences AS s (instance_id, last_seq) VALUES (:instance, :count)
                        ON CONFLICT (instance_id) DO UPDATE SET last_seq = s.last_seq + :count
                        RETURNING last_seq""")
                .param("instance", instanceId)
                .param("count", count)
                .query(Long.class)
                .single();
        jdbc.sql("SELECT pg_notify('" + CHANNEL + "', CAST(:instance AS text))")
                .param("instance", instanceId)
                .query((rs, row) -> 0)
                .list();
        return last - count + 1;
    }

    /** Committed changes after {@code afterSeq}, in order. Index: changes primary key. */
    public List<ChangeRecord> after(long instanceId, long afterSeq, int limit) {
        return jdbc.sql("""
                        SELECT instance_id, seq, type, contact_id, data, actor, created_at FROM changes
                        WHERE instance_id = :instance AND seq > :after ORDER BY seq LIMIT :limit""")
                .param("instance", instanceId)
                .param("after", afterSeq)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /**
     * What a reader sees after {@code afterSeq}: up to {@code limit} committed changes in order and the retention
     * bound, read from one snapshot, so a page never silently skips changes that retention removed meanwhile: if
     * {@code afterSeq < prunedThrough} the page must not be used.
     */
    public record Page(List<ChangeRecord> records, long prunedThrough) {
        public boolean expired(long afterSeq) {
            return afterSeq < prunedThrough;
        }
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Page read(long instanceId, long afterSeq, int limit) {
        List<ChangeRecord> records = after(instanceId, afterSeq, limit);
        return new Page(records, prunedThrough(instanceId));
    }

    /**
     * The newest committed sequence (what a reader starting "now" resumes after): a change committing later always
     * gets a larger one. Index: changes primary key, read backwards.
     */
    public long latestCommitted(long instanceId) {
        long newest = jdbc.sql("SELECT coalesce(max(seq), 0) FROM changes WHERE instance_id = ?")
                .param(instanceId)
                .query(Long.class)
                .single();
        return Math.max(newest, prunedThrough(instanceId));
    }

    /** The smallest sequence a reader can still resume after: older changes were removed by retention. */
    public long prunedThrough(long instanceId) {
        return jdbc.sql("SELECT pruned_through FROM change_sequences WHERE instance_id = ?")
                .param(instanceId)
                .query(Long.class)
                .optional()
                .orElse(0L);
    }

    /** The last sequence handed out (committed or not), 0 when the instance has no changes yet. */
    public long lastSequence(long instanceId) {
        return jdbc.sql("SELECT last_seq FROM change_sequences WHERE instance_id = ?")
                .param(instanceId)
                .query(Long.class)
                .optional()
                .orElse(0L);
    }

    /**
     * Removes an instance's whole log and its sequence (the instance is being deleted), in batches that each commit on
     * their own when no transaction is open, so a long log never makes one huge transaction. Index: changes primary
     * key (instance_id, seq); the lower bound moves past each batch.
     */
    public void forget(long instanceId) {
        long low = 0;
        while (true) {
            List<Long> batch = jdbc.sql("""
                            DELETE FROM changes WHERE instance_id = :instance AND seq IN (
                                SELECT seq FROM changes WHERE instance_id = :instance AND seq > :low ORDER BY seq LIMIT :batch)
                            RETURNING seq""")
                    .param("instance", instanceId)
                    .param("low", low)
                    .param("batch", FORGET_BATCH)
                    .query(Long.class)
                    .list();
            if (batch.size() < FORGET_BATCH) {
                break;
            }
            low = batch.stream().mapToLong(Long::longValue).max().orElseThrow();
        }
        jdbc.sql("DELETE FROM change_sequences WHERE instance_id = ?")
                .param(instanceId)
                .update();
    }

    private ChangeRecord map(ResultSet rs, int row) throws SQLException {
        Long contactId = rs.getObject("contact_id", Long.class);
        return new ChangeRecord(
                rs.getLong("instance_id"),
                rs.getLong("seq"),
                ChangeType.fromWireName(rs.getString("type")).orElseThrow(),
                contactId,
                json.readTree(rs.getString("data")),
                rs.getString("actor"),
                rs.getTimestamp("created_at").toInstant());
    }
}
