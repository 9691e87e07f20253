package io.contactmirror.connection.sandbox;

import io.contactmirror.connection.Fence;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The sandbox phones' rows; the only channel between the API (any replica) and an open session (one replica). */
@Repository
class SandboxRepository {

    /** Writes a session makes are fenced like every other session write: refused once its lease was taken over. */
    private static final String FENCE = " AND EXISTS (SELECT 1 FROM instance_leases l"
            + " WHERE l.instance_id = sandbox_devices.instance_id AND l.owner_id = :owner AND l.epoch = :epoch)";

    private final JdbcClient jdbc;

    SandboxRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Device(
            long instanceId,
            long seed,
            int contactCount,
            int groupCount,
            boolean scanRequested,
            Instant pairedAt,
            long deliveredEvent) {}

    record StoredEvent(long id, String payload) {}

    void create(long instanceId, long seed, int contacts, int groups) {
        jdbc.sql("""
                        INSERT INTO sandbox_devices (instance_id, seed, contact_count, group_count) VALUES (?, ?, ?, ?)
                        ON CONFLICT (instance_id) DO UPDATE SET seed = EXCLUDED.seed, contact_count = EXCLUDED.contact_count,
                                                                group_count = EXCLUDED.group_count""")
                .param(instanceId)
                .param(seed)
                .param(contacts)
                .param(groups)
                .update();
    }

    Optional<Device> find(long instanceId) {
        return jdbc.sql("SELECT * FROM sandbox_devices WHERE instance_id = ?")
                .param(instanceId)
                .query((rs, row) -> new Device(
                        rs.getLong("instance_id"),
                        rs.getLong("seed"),
                        rs.getInt("contact_count"),
                        rs.getInt("group_count"),
                        rs.getBoolean("scan_requested"),
                        rs.getTimestamp("paired_at") == null
                                ? null
                                : rs.getTimestamp("paired_at").toInstant(),
                        rs.getLong("delivered_event")))
                .optional();
    }

    boolean requestScan(long instanceId) {
        return jdbc.sql("UPDATE sandbox_devices SET scan_requested = true WHERE instance_id = ?")
                        .param(instanceId)
                        .update()
                == 1;
    }

    void paired(long instanceId, Fence fence) {
        fenced(instanceId, fence, "paired_at = now(), scan_requested = false", Map.of());
    }

    void unpaired(long instanceId, Fence fence) {
        fenced(instanceId, fence, "paired_at = NULL, scan_requested = false", Map.of());
    }

    /** Unpairs with no session open (a logout carried out while nobody holds the instance). */
    void unpaired(long instanceId) {
        jdbc.sql("UPDATE sandbox_devices SET paired_at = NULL, scan_requested = false WHERE instance_id = ?")
                .param(instanceId)
                .update();
    }

    void append(long instanceId, String payload) {
        jdbc.sql("INSERT INTO sandbox_events (instance_id, payload) VALUES (?, ?)")
                .param(instanceId)
                .param(payload)
                .update();
    }

    List<StoredEvent> events(long instanceId, long afterId, long upToId) {
        return jdbc.sql(
                        "SELECT id, payload FROM sandbox_events WHERE instance_id = ? AND id > ? AND id <= ? ORDER BY id")
                .param(instanceId)
                .param(afterId)
                .param(upToId)
                .query((rs, row) -> new StoredEvent(rs.getLong(1), rs.getString(2)))
                .list();
    }

    long latestEvent(long instanceId) {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM sandbox_events WHERE instance_id = ?")
                .param(instanceId)
                .query(Long.class)
                .single();
    }

    void delivered(long instanceId, Fence fence, long eventId) {
        fenced(instanceId, fence, "delivered_event = greatest(delivered_event, :event)", Map.of("event", eventId));
    }

    private void fenced(long instanceId, Fence fence, String assignments, Map<String, ?> params) {
        jdbc.sql("UPDATE sandbox_devices SET " + assignments + " WHERE instance_id = :instance" + FENCE)
                .params(params)
                .param("instance", instanceId)
                .param("owner", fence.owner())
                .param("epoch", fence.epoch())
                .update();
    }

    void delete(long instanceId) {
        jdbc.sql("DELETE FROM sandbox_events WHERE instance_id = ?")
                .param(instanceId)
                .update();
        jdbc.sql("DELETE FROM sandbox_devices WHERE instance_id = ?")
                .param(instanceId)
                .update();
    }
}
