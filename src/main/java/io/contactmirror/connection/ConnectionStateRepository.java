package io.contactmirror.connection;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.engine.Account;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The connection columns of {@code instances}, written by the replica holding the instance's lease. Every write is
 * fenced by the lease's owner and epoch, so a replica that lost its lease (a long pause, a network split) cannot
 * overwrite what the new owner reports.
 */
@Repository
class ConnectionStateRepository {

    private static final String FENCE = " AND EXISTS (SELECT 1 FROM instance_leases l"
            + " WHERE l.instance_id = instances.id AND l.owner_id = :owner AND l.epoch = :epoch)";

    private final JdbcClient jdbc;
    private final ChangeLog changeLog;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    ConnectionStateRepository(
            JdbcClient jdbc, ChangeLog changeLog, PlatformTransactionManager transactions, JsonMapper json) {
        this.jdbc = jdbc;
        this.changeLog = changeLog;
        this.transactions = new TransactionTemplate(transactions);
        this.json = json;
    }

    /** What the socket manager needs to know to run (or stop) an instance's session. */
    record SessionTarget(
            long id, EngineType engine, String apiInstanceName, DesiredState desired, String pairingPhone) {}

    Optional<SessionTarget> target(long id) {
        return targets(List.of(id)).values().stream().findFirst();
    }

    Map<Long, SessionTarget> targets(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("""
                        SELECT id, engine, api_instance_name, desired_state, pairing_phone
                        FROM instances WHERE id IN (:ids)""").param("ids", ids).query(ConnectionStateRepository::target).list().stream()
                .collect(Collectors.toMap(SessionTarget::id, Function.identity()));
    }

    /** Deleted or logged-out instances that no live replica owns: any replica may finish the job. */
    List<SessionTarget> unownedPending() {
        return jdbc.sql("""
                        SELECT i.id, i.engine, i.api_instance_name, i.desired_state, i.pairing_phone FROM instances i
                        LEFT JOIN instance_leases l ON l.instance_id = i.id AND l.expires_at > now()
                        WHERE i.desired_state IN ('LOGGED_OUT', 'DELETED') AND l.instance_id IS NULL""").query(ConnectionStateRepository::target).list();
    }

    private static SessionTarget target(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new SessionTarget(
                rs.getLong("id"),
                EngineType.valueOf(rs.getString("engine")),
                rs.getString("api_instance_name"),
                DesiredState.valueOf(rs.getString("desired_state")),
                rs.getString("pairing_phone"));
    }

    void status(long id, Fence fence, InstanceStatus status) {
        fenced(id, fence, "status = :status", Map.of("status", status.name()));
    }

    void qrCode(long id, Fence fence, String payload, Instant expiresAt) {
        fenced(
                id,
                fence,
                "status = 'PAIRING', qr_payload = :qr, qr_expires_at = :expires",
                Map.of("qr", payload, "expires", java.sql.Timestamp.from(expiresAt)));
    }

    /** A request of the API starts a new attempt: the last one's pairing code and reconnect count are reset. */
    void request(long id, DesiredState desired, @Nullable String pairingPhone) {
        jdbc.sql("""
                        UPDATE instances SET desired_state = :desired, pairing_phone = :phone, pairing_code = NULL,
                               reconnect_attempts = 0, updated_at = now()
                        WHERE id = :id AND desired_state <> 'DELETED'""")
                .param("id", id)
                .param("desired", desired.name())
                .param("phone", pairingPhone)
                .update();
    }

    void pairingCode(long id, Fence fence, String code) {
        fenced(id, fence, "status = 'PAIRING', pairing_code = :code", Map.of("code", code));
    }

    void loggedIn(long id, Fence fence, Account account) {
        var params = new java.util.HashMap<String, Object>();
        params.put("phone", account.phoneJid());
        params.put("lid", account.lidJid());
        params.put("pushName", account.pushName());
        fenced(id, fence, """
                status = 'CONNECTED', phone_jid = :phone, lid_jid = coalesce(:lid, lid_jid),
                push_name = coalesce(:pushName, push_name), last_connected_at = now(), reconnect_attempts = 0,
                qr_payload = NULL, qr_expires_at = NULL, pairing_code = NULL, pairing_phone = NULL""", params);
    }

    void disconnected(long id, Fence fence, InstanceStatus status, String reason, String detail, int attempts) {
        var params = new java.util.HashMap<String, Object>();
        params.put("status", status.name());
        params.put("reason", reason);
        params.put("detail", detail == null ? null : detail.substring(0, Math.min(detail.length(), 500)));
        params.put("attempts", attempts);
        fenced(id, fence, """
                status = :status, last_disconnect_reason = :reason, last_disconnect_detail = :detail,
                last_disconnect_at = now(), reconnect_attempts = :attempts,
                qr_payload = NULL, qr_expires_at = NULL, pairing_code = NULL""", params);
    }

    /** The session ended for good (logout, ban, too many failures): nobody should reconnect it. */
    void stopped(long id, Fence fence, InstanceStatus status, String reason, String detail) {
        var params = new java.util.HashMap<String, Object>();
        params.put("status", status.name());
        params.put("reason", reason);
        params.put("detail", detail == null ? null : detail.substring(0, Math.min(detail.length(), 500)));
        fenced(id, fence, """
                status = :status, desired_state = CASE WHEN desired_state = 'DELETED' THEN 'DELETED' ELSE 'STOPPED' END,
                last_disconnect_reason = :reason, last_disconnect_detail = :detail, last_disconnect_at = now(),
                qr_payload = NULL, qr_expires_at = NULL, pairing_code = NULL, pairing_phone = NULL""", params);
    }

    void syncState(long id, Fence fence, SyncState state) {
        fenced(
                id,
                fence,
                state == SyncState.SYNCED ? "sync_state = 'SYNCED', contacts_synced_at = now()" : "sync_state = :state",
                Map.of("state", state.name()));
    }

    /** Logged out with no session anywhere (finishing an unowned LOGGED_OUT request). */
    void loggedOutWithoutSession(long id) {
        transactions.executeWithoutResult(tx -> jdbc.sql("""
                        UPDATE instances SET status = 'LOGGED_OUT', desired_state = 'STOPPED', last_disconnect_reason = 'LOGGED_OUT',
                               last_disconnect_at = now(),
                               qr_payload = NULL, qr_expires_at = NULL, pairing_code = NULL, pairing_phone = NULL,
                               updated_at = now()
                        FROM (SELECT status AS previous FROM instances WHERE id = :id FOR UPDATE) old
                        WHERE id = :id AND desired_state = 'LOGGED_OUT'
                        RETURNING old.previous""")
                .param("id", id)
                .query(String.class)
                .optional()
                .ifPresent(previous -> statusChanged(id, previous, "LOGGED_OUT", "LOGGED_OUT")));
    }

    /** This incarnation is shutting down: its instances are about to be reopened by another replica. */
    void handedOver(String owner, Map<Long, Long> leases) {
        if (leases.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(tx -> jdbc.sql("""
                        UPDATE instances SET status = 'RECONNECTING', updated_at = now()
                        FROM (SELECT id AS locked, status AS previous FROM instances WHERE id IN (:ids) ORDER BY id FOR UPDATE) old
                        WHERE instances.id = old.locked AND EXISTS (SELECT 1 FROM instance_leases l
                                     WHERE l.instance_id = instances.id AND l.owner_id = :owner)
                        RETURNING instances.id, old.previous""")
                .param("ids", leases.keySet())
                .param("owner", owner)
                .query((rs, row) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .list()
                .forEach(changed -> statusChanged(changed.getKey(), changed.getValue(), "RECONNECTING", null)));
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM instances WHERE id = :id AND desired_state = 'DELETED'")
                .param("id", id)
                .update();
    }

    Map<InstanceStatus, Long> countByStatus() {
        return jdbc
                .sql("SELECT status, count(*) FROM instances GROUP BY status")
                .query((rs, row) -> Map.entry(InstanceStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * A fenced write of the instance row; a status it changes is an {@code instance.status_changed} in the same
     * transaction (the sub-select locks the row first, so it reads the status this write replaces).
     */
    private void fenced(long id, Fence fence, String assignments, Map<String, ?> params) {
        transactions.executeWithoutResult(tx -> jdbc.sql("UPDATE instances SET " + assignments + ", updated_at = now()"
                        + " FROM (SELECT status AS previous FROM instances WHERE id = :id FOR UPDATE) old"
                        + " WHERE id = :id" + FENCE + " RETURNING old.previous, instances.status")
                .params(params)
                .param("id", id)
                .param("owner", fence.owner())
                .param("epoch", fence.epoch())
                .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2)})
                .optional()
                .ifPresent(status -> statusChanged(id, status[0], status[1], (String) params.get("reason"))));
    }

    private void statusChanged(long id, String previous, String status, @Nullable String reason) {
        if (!previous.equals(status)) {
            changeLog.append(
                    id,
                    ChangeType.INSTANCE_STATUS_CHANGED,
                    null,
                    json.createObjectNode()
                            .put("status", status)
                            .put("previousStatus", previous)
                            .put("reason", reason),
                    null);
        }
    }
}
