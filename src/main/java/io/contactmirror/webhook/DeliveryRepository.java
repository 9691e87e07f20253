package io.contactmirror.webhook;

import io.contactmirror.changelog.ChangeEvent;
import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook outbox: fan-out of the change log into deliveries, claims under a lease, outcomes, and the delivery
 * log. Every replica runs the same statements; row locks taken with SKIP LOCKED split the work between them.
 */
@Repository
class DeliveryRepository {

    private static final String LOG_COLUMNS = """
            d.id, d.subscription_id, d.event_id, d.event_type, d.seq, i.instance_name, d.contact_id, d.status,
            d.attempts, d.last_status_code, d.last_error, d.next_attempt_at, d.last_attempt_at, d.delivered_at,
            d.created_at
            FROM webhook_deliveries d JOIN instances i ON i.id = d.instance_id
            """;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final ChangeLog changeLog;
    private final JsonMapper json;

    DeliveryRepository(JdbcClient jdbc, JdbcTemplate batch, ChangeLog changeLog, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.changeLog = changeLog;
        this.json = json;
    }

    /**
     * Copies new changes of up to {@code cursors} (subscription, instance) pairs into deliveries and advances their
     * cursors, in one transaction; returns how many deliveries it created. A cursor is locked while it is worked
     * (SKIP LOCKED: another replica takes other cursors). The log's {@code last_seq} as this transaction sees it
     * belongs to committed writers only, so every change up to it is readable and the cursor may move past gaps.
     */
    @Transactional
    int fanOut(int cursors, int changesPerCursor) {
        // Instances that appeared after a tenant-wide subscription was made: all their changes are new to it.
        jdbc.sql("""
                        INSERT INTO webhook_cursors (subscription_id, instance_id, last_seq)
                        SELECT w.id, s.instance_id, 0
                        FROM webhook_subscriptions w
                        JOIN instances i ON i.tenant_id = w.tenant_id
                        JOIN change_sequences s ON s.instance_id = i.id
                        WHERE w.instance_id IS NULL AND w.enabled
                          AND NOT EXISTS (SELECT 1 FROM webhook_cursors c WHERE c.subscription_id = w.id AND c.instance_id = i.id)
                        ON CONFLICT DO NOTHING""").update();
        List<DueCursor> due = jdbc.sql("""
                        SELECT c.subscription_id, c.instance_id, c.last_seq, s.last_seq AS log_seq,
                               array_to_string(w.event_types, ',') AS event_types, i.instance_name
                        FROM webhook_cursors c
                        JOIN webhook_subscriptions w ON w.id = c.subscription_id
                        JOIN change_sequences s ON s.instance_id = c.instance_id
                        JOIN instances i ON i.id = c.instance_id
                        WHERE w.enabled AND s.last_seq > c.last_seq
                        LIMIT :limit
                        FOR UPDATE OF c SKIP LOCKED""")
                .param("limit", cursors)
                .query((rs, row) -> new DueCursor(
                        rs.getObject("subscription_id", UUID.class),
                        rs.getLong("instance_id"),
                        rs.getLong("last_seq"),
                        rs.getLong("log_seq"),
                        SubscriptionRepository.eventTypes(rs.getString("event_types")),
                        rs.getString("instance_name")))
                .list();
        int created = 0;
        for (DueCursor cursor : due) {
            List<ChangeRecord> records = changeLog.after(cursor.instanceId(), cursor.position(), changesPerCursor);
            List<Object[]> rows = new ArrayList<>();
            long reached = records.size() < changesPerCursor ? cursor.logSeq() : cursor.position();
            for (ChangeRecord record : records) {
                if (record.seq() > cursor.logSeq()) {
                    break;
                }
                reached = Math.max(reached, record.seq());
                if (!cursor.eventTypes().isEmpty()
                        && !cursor.eventTypes().contains(record.type().wireName())) {
                    continue;
                }
                ChangeEvent event = ChangeEvent.of(record, cursor.instanceName());
                rows.add(new Object[] {
                    cursor.subscriptionId(),
                    record.instanceId(),
                    record.seq(),
                    event.id(),
                    event.type(),
                    record.contactId(),
                    record.contactId() == null ? 0L : record.contactId(),
                    json.writeValueAsString(event)
                });
            }
            if (!rows.isEmpty()) {
                batch.batchUpdate("""
                        INSERT INTO webhook_deliveries (subscription_id, instance_id, seq, event_id, event_type, contact_id,
                                                        order_key, payload, status)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')
                        ON CONFLICT (subscription_id, instance_id, seq) DO NOTHING""", rows);
                created += rows.size();
            }
            jdbc.sql(
                            "UPDATE webhook_cursors SET last_seq = :seq WHERE subscription_id = :sub AND instance_id = :instance")
                    .param("seq", reached)
                    .param("sub", cursor.subscriptionId())
                    .param("instance", cursor.instanceId())
                    .update();
        }
        return created;
    }

    /**
     * Claims up to {@code limit} due deliveries of enabled subscriptions for {@code lease}. A delivery is due only
     * when no earlier delivery of the same contact (instance events: of the same instance) to the same subscription
     * is still outstanding, so a contact's changes arrive in order. A claim whose lease ran out (its replica died)
     * is due again. Indexes: webhook_deliveries_due_idx, webhook_deliveries_order_idx.
     */
    @Transactional
    List<Claim> claim(int limit, Duration lease) {
        UUID token = UUID.randomUUID();
        return jdbc.sql("""
                        UPDATE webhook_deliveries d
                        SET claimed_until = now() + CAST(:leaseMs AS bigint) * interval '1 millisecond', claim_token = :token
                        FROM webhook_subscriptions w
                        WHERE w.id = d.subscription_id AND d.id IN (
                            SELECT d2.id FROM webhook_deliveries d2
                            JOIN webhook_subscriptions w2 ON w2.id = d2.subscription_id AND w2.enabled
                            WHERE d2.status = 'PENDING' AND d2.next_attempt_at <= now()
                              AND (d2.claimed_until IS NULL OR d2.claimed_until < now())
                              AND NOT EXISTS (
                                  SELECT 1 FROM webhook_deliveries e
                                  WHERE e.subscription_id = d2.subscription_id AND e.instance_id = d2.instance_id
                                    AND e.order_key = d2.order_key AND e.seq < d2.seq AND e.status <> 'DELIVERED')
                            ORDER BY d2.next_attempt_at, d2.id
                            LIMIT :limit
                            FOR UPDATE OF d2 SKIP LOCKED)
                        RETURNING d.id, d.subscription_id, d.event_id, d.payload, d.attempts, d.first_attempt_at,
                                  now() AS claimed_at, w.url, w.secret_key_id, w.secret""")
                .param("leaseMs", lease.toMillis())
                .param("token", token)
                .param("limit", limit)
                .query((rs, row) -> new Claim(
                        rs.getLong("id"),
                        token,
                        rs.getObject("subscription_id", UUID.class),
                        rs.getString("event_id"),
                        rs.getString("payload"),
                        rs.getInt("attempts"),
                        SubscriptionRepository.instant(rs.getTimestamp("first_attempt_at")),
                        rs.getTimestamp("claimed_at").toInstant(),
                        rs.getString("url"),
                        new SubscriptionRepository.EncryptedSecret(
                                rs.getString("secret_key_id"), rs.getBytes("secret"))))
                .list();
    }

    /**
     * Records successes, all in one round trip; one whose claim was lost meanwhile is left alone (the replica that
     * took it over reports its own).
     */
    void delivered(List<Delivered> successes) {
        if (successes.isEmpty()) {
            return;
        }
        batch.batchUpdate(
                """
                UPDATE webhook_deliveries
                SET status = 'DELIVERED', attempts = attempts + 1, last_status_code = ?, last_error = NULL,
                    first_attempt_at = coalesce(first_attempt_at, ?), last_attempt_at = ?, delivered_at = ?,
                    claimed_until = NULL, claim_token = NULL
                WHERE id = ? AND claim_token = ?""",
                successes.stream()
                        .map(done -> new Object[] {
                            done.statusCode(), Timestamp.from(done.claim().claimedAt()), Timestamp.from(done.at()),
                            Timestamp.from(done.at()), done.claim().id(),
                                    done.claim().token()
                        })
                        .toList());
    }

    /** A delivery the target accepted, waiting to be recorded. */
    record Delivered(Claim claim, int statusCode, Instant at) {}

    /** Records a failed attempt and when the next one is due, or ({@code nextAttempt} null) that it was given up on. */
    boolean failed(Claim claim, @Nullable Integer statusCode, String error, @Nullable Duration nextAttempt) {
        return jdbc.sql("""
                        UPDATE webhook_deliveries
                        SET status = :status, attempts = attempts + 1, last_status_code = :code, last_error = :error,
                            first_attempt_at = coalesce(first_attempt_at, :claimedAt), last_attempt_at = now(),
                            next_attempt_at = now() + CAST(:delayMs AS bigint) * interval '1 millisecond',
                            claimed_until = NULL, claim_token = NULL
                        WHERE id = :id AND claim_token = :token""")
                        .param("id", claim.id())
                        .param("token", claim.token())
                        .param(
                                "status",
                                nextAttempt == null ? DeliveryStatus.FAILED.name() : DeliveryStatus.PENDING.name())
                        .param("code", statusCode)
                        .param("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                        .param("claimedAt", Timestamp.from(claim.claimedAt()))
                        .param("delayMs", nextAttempt == null ? 0 : nextAttempt.toMillis())
                        .update()
                > 0;
    }

    /** Gives claims back (a replica shutting down): they are due again at once, for any replica. */
    void release(List<Claim> claims) {
        for (Claim claim : claims) {
            jdbc.sql(
                            "UPDATE webhook_deliveries SET claimed_until = NULL, claim_token = NULL WHERE id = :id AND claim_token = :token")
                    .param("id", claim.id())
                    .param("token", claim.token())
                    .update();
        }
    }

    /** The delivery log of a subscription, newest first. Index: webhook_deliveries_log_idx. */
    List<Delivery> page(UUID subscriptionId, @Nullable DeliveryStatus status, long offset, int limit) {
        return jdbc.sql("SELECT " + LOG_COLUMNS + """
                         WHERE d.subscription_id = :sub AND (CAST(:status AS varchar) IS NULL OR d.status = :status)
                         ORDER BY d.id DESC OFFSET :offset LIMIT :limit""")
                .param("sub", subscriptionId)
                .param("status", status == null ? null : status.name())
                .param("offset", offset)
                .param("limit", limit)
                .query(DeliveryRepository::map)
                .list();
    }

    long count(UUID subscriptionId, @Nullable DeliveryStatus status) {
        return jdbc.sql("""
                        SELECT count(*) FROM webhook_deliveries
                        WHERE subscription_id = :sub AND (CAST(:status AS varchar) IS NULL OR status = :status)""")
                .param("sub", subscriptionId)
                .param("status", status == null ? null : status.name())
                .query(Long.class)
                .single();
    }

    Optional<Delivery> find(UUID subscriptionId, long id) {
        return jdbc.sql("SELECT " + LOG_COLUMNS + " WHERE d.subscription_id = :sub AND d.id = :id")
                .param("sub", subscriptionId)
                .param("id", id)
                .query(DeliveryRepository::map)
                .optional();
    }

    /**
     * Sends a delivery again, whatever its state: it is due at once with a fresh retry horizon. An outstanding
     * replay of an old change holds back that contact's later deliveries until it is through (order per contact).
     */
    boolean replay(UUID subscriptionId, long id) {
        return jdbc.sql("""
                        UPDATE webhook_deliveries
                        SET status = 'PENDING', next_attempt_at = now(), first_attempt_at = NULL, delivered_at = NULL
                        WHERE subscription_id = :sub AND id = :id""").param("sub", subscriptionId).param("id", id).update() > 0;
    }

    /** Removes delivered deliveries older than {@code retention} from the log. */
    int prune(Duration retention) {
        return jdbc.sql("""
                        DELETE FROM webhook_deliveries
                        WHERE status = 'DELIVERED' AND delivered_at < now() - CAST(:ms AS bigint) * interval '1 millisecond'""").param("ms", retention.toMillis()).update();
    }

    private static Delivery map(ResultSet rs, int row) throws SQLException {
        DeliveryStatus status = DeliveryStatus.valueOf(rs.getString("status"));
        return new Delivery(
                rs.getLong("id"),
                rs.getObject("subscription_id", UUID.class),
                rs.getString("event_id"),
                rs.getString("event_type"),
                rs.getLong("seq"),
                rs.getString("instance_name"),
                rs.getObject("contact_id", Long.class),
                status,
                rs.getInt("attempts"),
                rs.getObject("last_status_code", Integer.class),
                rs.getString("last_error"),
                status == DeliveryStatus.PENDING
                        ? SubscriptionRepository.instant(rs.getTimestamp("next_attempt_at"))
                        : null,
                SubscriptionRepository.instant(rs.getTimestamp("last_attempt_at")),
                SubscriptionRepository.instant(rs.getTimestamp("delivered_at")),
                rs.getTimestamp("created_at").toInstant());
    }

    private record DueCursor(
            UUID subscriptionId,
            long instanceId,
            long position,
            long logSeq,
            List<String> eventTypes,
            String instanceName) {}

    /** A delivery this replica holds until its lease runs out; {@code token} fences a late report of its outcome. */
    record Claim(
            long id,
            UUID token,
            UUID subscriptionId,
            String eventId,
            String payload,
            int attempts,
            @Nullable Instant firstAttemptAt,
            Instant claimedAt,
            String url,
            SubscriptionRepository.EncryptedSecret secret) {}
}
