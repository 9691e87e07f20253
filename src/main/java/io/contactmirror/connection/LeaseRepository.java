package io.contactmirror.connection;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Ownership of instances through rows in {@code instance_leases} and liveness of replica incarnations in
 * {@code replicas}.
 *
 * <p>Why a lease table and not session-level advisory locks: an advisory lock lives and dies with one pooled
 * connection, its loss is invisible until that connection is used again, and nobody else can see who holds it.
 * A lease row is renewed by heartbeat, visible to every replica (and to operators), expires on its own when a
 * replica dies, and carries a fencing epoch that grows with every acquisition so stale writes can be refused.
 * Lease rows are never deleted, so epochs only grow. All times are the database's {@code now()}, so replicas'
 * clocks need not agree.
 */
@Repository
class LeaseRepository {

    /**
     * When the lease {@code l} may be taken: nobody owns it; or it expired and its owner is gone (no heartbeat for a
     * TTL) or, while heartbeating, has not come back for it although it has reached the database steadily for two
     * TTLs. Taking an expired lease also needs the taker to have reached the database steadily for a TTL: after an
     * outage every owner's heartbeat looks stale, and each must get the chance to reclaim its own leases first, so the
     * outage moves no instance. Both waits count from the replica's return ({@code up_since}), not from the lease's
     * expiry: after a long outage every lease expired long ago, and an owner that came back a moment later than the
     * taker must not lose its instances for it.
     */
    private static final String TAKEABLE = """
            (l.owner_id IS NULL
             OR (l.expires_at <= now()
                 AND EXISTS (SELECT 1 FROM replicas me WHERE me.id = :me
                             AND me.up_since <= now() - make_interval(secs => :ttl)
                             AND me.heartbeat_at > now() - make_interval(secs => :ttl))
                 AND NOT EXISTS (SELECT 1 FROM replicas owner WHERE owner.id = l.owner_id
                                 AND owner.heartbeat_at > now() - make_interval(secs => :ttl)
                                 AND (owner.up_since > now() - 2 * make_interval(secs => :ttl)
                                      OR l.expires_at > now() - 2 * make_interval(secs => :ttl)))))""";

    private final JdbcClient jdbc;

    LeaseRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that this incarnation is alive. {@code reconnected} says the previous heartbeat failed: the
     * incarnation is reachable again only from now on ({@code up_since}).
     */
    void heartbeat(String incarnation, boolean draining, boolean reconnected) {
        jdbc.sql("""
                        INSERT INTO replicas (id, started_at, heartbeat_at, up_since, draining)
                        VALUES (:id, now(), now(), now(), :draining)
                        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), draining = :draining,
                            up_since = CASE WHEN :reconnected THEN now() ELSE replicas.up_since END""")
                .param("id", incarnation)
                .param("draining", draining)
                .param("reconnected", reconnected)
                .update();
    }

    /** Forgets incarnations that have been silent for an hour (restarted or removed replicas). */
    void forgetSilentReplicas() {
        jdbc.sql("DELETE FROM replicas WHERE heartbeat_at < now() - interval '1 hour'")
                .update();
    }

    void removeReplica(String incarnation) {
        jdbc.sql("DELETE FROM replicas WHERE id = :id").param("id", incarnation).update();
    }

    /**
     * Extends the named leases (instance id → epoch) that this incarnation still holds at that epoch; returns those
     * extended. A lease that expired but was not taken over (same epoch) is extended too: nobody else held it since.
     */
    Map<Long, Long> renew(String incarnation, Map<Long, Long> held, Duration ttl) {
        Map<Long, Long> renewed = new HashMap<>();
        if (held.isEmpty()) {
            return renewed;
        }
        Long[] ids = held.keySet().toArray(Long[]::new);
        Long[] epochs = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            epochs[i] = held.get(ids[i]);
        }
        jdbc.sql("""
                        UPDATE instance_leases l SET expires_at = now() + make_interval(secs => :ttl)
                        FROM unnest(CAST(:ids AS bigint[]), CAST(:epochs AS bigint[])) AS h (instance_id, epoch)
                        WHERE l.instance_id = h.instance_id AND l.epoch = h.epoch AND l.owner_id = :owner
                        RETURNING l.instance_id, l.epoch""")
                .param("ids", ids)
                .param("epochs", epochs)
                .param("owner", incarnation)
                .param("ttl", seconds(ttl))
                .query((rs, row) -> renewed.put(rs.getLong(1), rs.getLong(2)))
                .list();
        return renewed;
    }

    /** Takes the lease if it is takeable (see {@link #TAKEABLE}); the epoch of the new lease, or empty. */
    Optional<Long> tryAcquire(long instanceId, String incarnation, Duration ttl) {
        return jdbc.sql("""
                        INSERT INTO instance_leases AS l (instance_id, owner_id, epoch, acquired_at, expires_at)
                        VALUES (:instance, :owner, 1, now(), now() + make_interval(secs => :ttl))
                        ON CONFLICT (instance_id) DO UPDATE
                            SET owner_id = EXCLUDED.owner_id, epoch = l.epoch + 1,
                                acquired_at = now(), expires_at = EXCLUDED.expires_at
                            WHERE """ + TAKEABLE + """

                        RETURNING epoch""")
                .param("instance", instanceId)
                .param("owner", incarnation)
                .param("me", incarnation)
                .param("ttl", seconds(ttl))
                .query(Long.class)
                .optional();
    }

    /**
     * Gives leases up. The rows stay, without an owner, so the next acquisition raises their epoch and no fence of
     * an earlier holder can ever match again.
     */
    void release(String incarnation, Map<Long, Long> leases) {
        if (leases.isEmpty()) {
            return;
        }
        Long[] ids = leases.keySet().toArray(Long[]::new);
        Long[] epochs = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            epochs[i] = leases.get(ids[i]);
        }
        jdbc.sql("""
                        UPDATE instance_leases l SET owner_id = NULL, expires_at = now()
                        FROM unnest(CAST(:ids AS bigint[]), CAST(:epochs AS bigint[])) AS h (instance_id, epoch)
                        WHERE l.instance_id = h.instance_id AND l.epoch = h.epoch AND l.owner_id = :owner""")
                .param("ids", ids)
                .param("epochs", epochs)
                .param("owner", incarnation)
                .update();
    }

    /** Instances that want a session and whose lease is takeable, oldest first. */
    List<Long> unownedRunning(String incarnation, int limit, Duration ttl) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT i.id FROM instances i
                        LEFT JOIN instance_leases l ON l.instance_id = i.id
                        WHERE i.desired_state = 'RUNNING' AND (l.instance_id IS NULL OR """ + TAKEABLE + """
                        )
                        ORDER BY i.id LIMIT :limit""")
                .param("me", incarnation)
                .param("limit", limit)
                .param("ttl", seconds(ttl))
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
                .param("ttl", seconds(ttl))
                .query((rs, row) -> new Load(rs.getLong(1), rs.getLong(2)))
                .single();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
