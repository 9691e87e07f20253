package io.contactmirror.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.support.ReplicaCluster;
import io.contactmirror.support.RunningInstances;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Several replicas on one PostgreSQL: every instance has at most one live session cluster-wide at every sampled
 * moment, exactly one once things settle, the split is even, and instances move when a replica leaves or dies.
 */
class OwnershipTest {

    static final int INSTANCES = 30;

    ReplicaCluster cluster;
    final List<String> violations = new CopyOnWriteArrayList<>();
    ScheduledExecutorService sampler;

    @BeforeEach
    void startDatabase() throws Exception {
        cluster = ReplicaCluster.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        cluster.close();
    }

    private ConfigurableApplicationContext startReplica(String name) {
        return cluster.startReplica(
                name,
                "--contactmirror.sandbox.auto-scan-after=PT0.1S",
                "--contactmirror.sandbox.contacts=3",
                "--contactmirror.sandbox.groups=0");
    }

    private static Set<Long> owned(ConfigurableApplicationContext replica) {
        return replica.getBean(SocketManager.class).ownedInstances();
    }

    /** Samples all replicas' live sessions every 50 ms and records any instance live twice. */
    private void startSampling() {
        sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> {
                    Set<Long> seen = new HashSet<>();
                    for (var replica : cluster.replicas()) {
                        if (replica.isActive()) {
                            for (Long id : replica.getBean(SocketManager.class).liveInstances()) {
                                if (!seen.add(id)) {
                                    violations.add("instance " + id + " live on two replicas");
                                }
                            }
                        }
                    }
                },
                0,
                50,
                TimeUnit.MILLISECONDS);
    }

    private List<Long> createRunningInstances(ConfigurableApplicationContext replica) {
        return RunningInstances.start(replica, "ownership", INSTANCES).ids();
    }

    private void awaitEvenSplit(List<ConfigurableApplicationContext> live, List<Long> ids) {
        int share = (ids.size() + live.size() - 1) / live.size();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<Long> union = new HashSet<>();
            for (var replica : live) {
                Set<Long> mine = owned(replica);
                assertThat(mine.size()).as("instances of one replica").isBetween(share - 1, share);
                union.addAll(mine);
            }
            assertThat(union).containsExactlyInAnyOrderElementsOf(ids);
        });
    }

    @Test
    void keepsOneLiveSessionPerInstanceAcrossReplicas() {
        var first = startReplica("replica-a");
        startSampling();
        List<Long> ids = createRunningInstances(first);
        awaitEvenSplit(List.of(first), ids);

        var second = startReplica("replica-b");
        var third = startReplica("replica-c");
        awaitEvenSplit(List.of(first, second, third), ids);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> first.getBean(JdbcClient.class)
                                .sql("SELECT count(*) FROM instances WHERE status = 'CONNECTED'")
                                .query(Long.class)
                                .single()
                        == INSTANCES);

        // A graceful shutdown hands the instances over.
        long stoppedAt = System.nanoTime();
        third.close();
        awaitEvenSplit(List.of(first, second), ids);
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(30));

        assertThat(violations).isEmpty();
    }

    @Test
    void takesOverTheInstancesOfAReplicaThatStoppedRenewingItsLeases() {
        var survivor = startReplica("replica-a");
        List<Long> ids = createRunningInstances(survivor);
        awaitEvenSplit(List.of(survivor), ids);
        JdbcClient jdbc = survivor.getBean(JdbcClient.class);

        // Stand-in for a replica that died: the survivor stops (handing nothing over, its leases simply stop being
        // renewed), and "ghost" rows take their place as a crashed replica would leave them.
        AtomicReference<Long> epochBefore = new AtomicReference<>();
        survivor.getBean(SocketManager.class).stop();
        jdbc.sql(
                        "INSERT INTO instance_leases (instance_id, owner_id, epoch, acquired_at, expires_at) "
                                + "SELECT id, 'ghost', 7, now(), now() + interval '2 seconds' FROM instances "
                                + "ON CONFLICT (instance_id) DO UPDATE SET owner_id = 'ghost', epoch = 7, expires_at = EXCLUDED.expires_at")
                .update();
        epochBefore.set(7L);
        survivor.getBean(SocketManager.class).start();

        long diedAt = System.nanoTime();
        awaitEvenSplit(List.of(survivor), ids);
        // Bound: lease TTL of the dead replica (2 s here) plus a heartbeat, far inside the configured 30 s.
        assertThat(Duration.ofNanos(System.nanoTime() - diedAt)).isLessThan(Duration.ofSeconds(10));
        assertThat(jdbc.sql("SELECT min(epoch) FROM instance_leases")
                        .query(Long.class)
                        .single())
                .as("takeover bumps the fencing epoch")
                .isGreaterThan(epochBefore.get());
    }
}
