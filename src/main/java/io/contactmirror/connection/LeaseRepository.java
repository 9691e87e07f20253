package io.contactmirror.connection;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Ownership of instances through rows in {@code instance_leases} and liveness of replicas in {@code replicas}.
 *
 * <p>Why a lease table and not session-level advisory locks: an advisory lock lives and dies with one pooled
 * connection, its loss is invisible until that connection is used again, and nobody else can see who holds it.
 * A lease row is renewed by heartbeat, visible to every replica (and to operators), expires on its own when a
 * replica dies, and carries a fencing epoch that grows with every takeover so stale writes can be refused.
 * All times are the database's {@code now()}, so replicas' clocks need not agree.
 */
@Repository
class LeaseRepository {

    private final JdbcClient jdbc;

    LeaseRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void heartbeat(String replicaId, boolean draining) {
        jdbc.sql("""
                        INSERT INTO replicas (id, started_at, heartbeat_at, draining) VALUES (:id, now(), now(), :draining)
                        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), draining = :draining""")
                .param("id", replicaId)
                .param("draining", draining)
                .update();
    }

    void removeReplica(String replicaId) {
        jdbc.sql("DELETE FROM replicas WHERE id = :id").param("id", replicaId).update();
    }

    /** Extends this replica's unexpired leases; returns instance id → epoch of the leases still held. */
    java.util.Map<Long, Long> renew(String replicaId, Duration ttl) {
        var held = new java.util.HashMap<Long, Long>();
        jdbc.sql("""
                        UPDATE instance_leases SET expires_at = now() + make_interval(secs => :ttl)
                        WHERE owner_id = :owner AND expires_at > now()
                        RETURNING instance_id, epoch""")
                .param("owner", replicaId)
                .param("ttl", ttl.toMillis() / 1000.0)
                .query((rs, row) -> held.put(rs.getLong(1), rs.getLong(2)))
                .list();
        return held;
    }

    /** Takes the lease if it is free or expired; the epoch of the new lease, or empty when someone holds it. */
    Optional<Long> tryAcquire(long instanceId, String replicaId, Duration ttl) {
        return jdbc.sql("""
                        INSERT INTO instance_leases (instance_id, owner_id, epoch, acquired_at, expires_at)
                        VALUES (:instance, :owner, 1, now(), now() + make_interval(secs => :ttl))
                        ON CONFLICT (instance_id) DO UPDATE
                            SET owner_id = EXCLUDED.owner_id, epoch = instance_leases.epoch + 1,
                                acquired_at = now(), expires_at = EXCLUDED.expires_at
                            WHERE instance_leases.expires_at <= now()
                        RETURNING epoch""")
                .param("instance", instanceId)
                .param("owner", replicaId)
                .param("ttl", ttl.toMillis() / 1000.0)
                .query(Long.class)
                .optional();
    }

    /**
     * Gives the lease up. The row stays, without an owner, so the next acquisition raises its epoch: epochs only
     * grow, and no fence of an earlier holder can ever match again.
     */
    void release(long instanceId, String replicaId) {
        jdbc.sql("UPDATE instance_leases SET owner_id = NULL, expires_at = now() WHERE instance_id = :instance AND owner_id = :owner")
                .param("instance", instanceId)
                .param("owner", replicaId)
                .update();
    }

    /** Instances that want a session and have no live owner, oldest first. */
    List<Long> unownedRunning(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT i.id FROM instances i
                        LEFT JOIN instance_leases l ON l.instance_id = i.id AND l.expires_at > now()
                        WHERE i.desired_state = 'RUNNING' AND l.instance_id IS NULL
                        ORDER BY i.id LIMIT :limit""")
                .param("limit", limit)
                .query(Long.class)
                .list();
    }

    /** Deleted instances no live replica owns, so any replica may finish deleting them. */
    List<Long> unownedDeleted() {
        return jdbc.sql("""
                        SELECT i.id FROM instances i
                        LEFT JOIN instance_leases l ON l.instance_id = i.id AND l.expires_at > now()
                        WHERE i.desired_state = 'DELETED' AND l.instance_id IS NULL""")
                .query(Long.class)
                .list();
    }

    /** Instances wanting a session, and live replicas willing to take them: the inputs of the fair share. */
    record Load(long running, long liveReplicas) {
        long fairShare() {
            return liveReplicas == 0 ? running : (running + liveReplicas - 1) / liveReplicas;
        }
    }

    Load load(Duration ttl) {
        return jdbc.sql("""
                        SELECT (SELECT count(*) FROM instances WHERE desired_state = 'RUNNING'),
                               (SELECT count(*) FROM replicas
                                WHERE NOT draining AND heartbeat_at > now() - make_interval(secs => :ttl))""")
                .param("ttl", ttl.toMillis() / 1000.0)
                .query((rs, row) -> new Load(rs.getLong(1), rs.getLong(2)))
                .single();
    }

    Set<Long> owned(String replicaId) {
        return new HashSet<>(jdbc.sql("SELECT instance_id FROM instance_leases WHERE owner_id = :owner AND expires_at > now()")
                .param("owner", replicaId)
                .query(Long.class)
                .list());
    }
}
