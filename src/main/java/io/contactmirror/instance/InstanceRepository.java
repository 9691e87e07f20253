package io.contactmirror.instance;

import io.contactmirror.connection.DesiredState;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceStatus;
import io.contactmirror.connection.SyncState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Instance rows. Written by the API (what is wanted) and by the socket manager (what is). */
@Repository
public class InstanceRepository {

    private static final RowMapper<Instance> ROW_MAPPER = InstanceRepository::map;

    /**
     * The row, and whether some replica holds a live lease on it: a session can only be up under one, so a row
     * that says it is connected while no lease is live (its replica died or lost the database) is shown as
     * reconnecting until another replica has taken it over.
     */
    private static final String COLUMNS = """
            *, EXISTS (SELECT 1 FROM instance_leases l WHERE l.instance_id = instances.id
                       AND l.owner_id IS NOT NULL AND l.expires_at > now()) AS session_held""";

    // Once, not per call: every API request resolves its instance with this statement.
    private static final String FIND_VISIBLE_BY_NAME = """
            SELECT %s
            FROM instances
            WHERE tenant_id = :tenant AND desired_state <> 'DELETED'
              AND (instance_name = :name OR api_instance_name = :name)""".formatted(COLUMNS);

    private final JdbcClient jdbc;

    InstanceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(UUID tenantId, String name, String displayName, String apiInstanceName, EngineType engine) {
        return jdbc.sql("""
                        INSERT INTO instances (tenant_id, instance_name, display_name, api_instance_name, engine,
                                               created_at, updated_at)
                        VALUES (:tenant, :name, :displayName, :apiName, :engine, now(), now())
                        RETURNING id""")
                .param("tenant", tenantId)
                .param("name", name)
                .param("displayName", displayName)
                .param("apiName", apiInstanceName)
                .param("engine", engine.name())
                .query(Long.class)
                .single();
    }

    public Optional<Instance> findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM instances WHERE id = :id")
                .param("id", id)
                .query(ROW_MAPPER)
                .optional();
    }

    /** A visible (not deleted) instance of the tenant, by its plain name or its globally unique API name. */
    Optional<Instance> findVisible(UUID tenantId, String name) {
        return jdbc.sql(FIND_VISIBLE_BY_NAME)
                .param("tenant", tenantId)
                .param("name", name)
                .query(ROW_MAPPER)
                .optional();
    }

    List<Instance> findVisible(UUID tenantId, int limit) {
        return jdbc.sql("""
                        SELECT %s
                        FROM instances WHERE tenant_id = :tenant AND desired_state <> 'DELETED'
                        ORDER BY id LIMIT :limit""".formatted(COLUMNS))
                .param("tenant", tenantId)
                .param("limit", limit)
                .query(ROW_MAPPER)
                .list();
    }

    List<Instance> page(UUID tenantId, Long onlyId, long offset, int limit) {
        return jdbc.sql("""
                        SELECT %s
                        FROM instances
                        WHERE tenant_id = :tenant AND desired_state <> 'DELETED' AND (:only::bigint IS NULL OR id = :only)
                        ORDER BY instance_name, id OFFSET :offset LIMIT :limit""".formatted(COLUMNS))
                .param("tenant", tenantId)
                .param("only", onlyId)
                .param("offset", offset)
                .param("limit", limit)
                .query(ROW_MAPPER)
                .list();
    }

    long count(UUID tenantId, Long onlyId) {
        return jdbc.sql("""
                        SELECT count(*) FROM instances
                        WHERE tenant_id = :tenant AND desired_state <> 'DELETED' AND (:only::bigint IS NULL OR id = :only)""")
                .param("tenant", tenantId)
                .param("only", onlyId)
                .query(Long.class)
                .single();
    }

    boolean nameTaken(UUID tenantId, String name) {
        return jdbc.sql("SELECT count(*) FROM instances WHERE tenant_id = :tenant AND instance_name = :name")
                        .param("tenant", tenantId)
                        .param("name", name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    static Instance map(ResultSet rs, int row) throws SQLException {
        return new Instance(
                rs.getLong("id"),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("instance_name"),
                rs.getString("display_name"),
                rs.getString("api_instance_name"),
                EngineType.valueOf(rs.getString("engine")),
                shownStatus(InstanceStatus.valueOf(rs.getString("status")), rs.getBoolean("session_held")),
                DesiredState.valueOf(rs.getString("desired_state")),
                rs.getString("pairing_phone"),
                rs.getString("qr_payload"),
                instant(rs, "qr_expires_at"),
                rs.getString("pairing_code"),
                rs.getString("phone_jid"),
                rs.getString("lid_jid"),
                rs.getString("push_name"),
                instant(rs, "last_connected_at"),
                rs.getString("last_disconnect_reason"),
                rs.getString("last_disconnect_detail"),
                instant(rs, "last_disconnect_at"),
                rs.getInt("reconnect_attempts"),
                SyncState.valueOf(rs.getString("sync_state")),
                instant(rs, "contacts_synced_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static InstanceStatus shownStatus(InstanceStatus stored, boolean sessionHeld) {
        boolean needsSession = stored == InstanceStatus.CONNECTED
                || stored == InstanceStatus.CONNECTING
                || stored == InstanceStatus.PAIRING;
        return needsSession && !sessionHeld ? InstanceStatus.RECONNECTING : stored;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
