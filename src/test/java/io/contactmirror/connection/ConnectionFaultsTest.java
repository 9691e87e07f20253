package io.contactmirror.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.ContactMirrorApplication;
import io.contactmirror.support.RunningInstances;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * The connection layer under the faults production has, with several replicas on one PostgreSQL: the database
 * restarted under running sessions, a replica killed without shutdown hooks (a separate JVM, SIGKILL) and started
 * again under the same replica id, and lease renewals stalled by a lock. A sampler checks every 50 ms that no
 * instance is live on two replicas; each drill then asserts every instance is live again within its deadline, and
 * that every CRM write the API acknowledged during the drill is stored.
 *
 * <p>Figures (instances, times) are printed as {@code FAULTS ...} lines. {@code -Dfaults.instances=60} reruns the
 * drills at the size the README reports, {@code -Dfaults.lease-ttl=PT15S -Dfaults.heartbeat-interval=PT2S} with the
 * production lease timings (the build uses the test profile's 3 s TTL).
 */
class ConnectionFaultsTest {

    static final int INSTANCES = Integer.getInteger("faults.instances", 24);
    static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(60);
    static final Duration TAKEOVER_DEADLINE = Duration.ofSeconds(30);

    Path dataDirectory;
    int databasePort;
    volatile EmbeddedPostgres postgres;
    final List<ConfigurableApplicationContext> replicas = new CopyOnWriteArrayList<>();
    final List<Process> processes = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ScheduledExecutorService sampler;
    String token;
    List<Long> instanceIds;

    @BeforeEach
    void startDatabase() throws Exception {
        dataDirectory = Files.createTempDirectory("faults-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            databasePort = socket.getLocalPort();
        }
        startPostgres();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        processes.forEach(Process::destroyForcibly);
        replicas.forEach(ConfigurableApplicationContext::close);
        postgres.close();
        FileSystemUtils.deleteRecursively(dataDirectory);
    }

    private void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(databasePort)
                .setRegisterShutdownHook(false)
                .start();
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + databasePort + "/postgres";
    }

    private List<String> replicaArguments(String replicaId) {
        return List.of(
                "--server.port=0",
                "--spring.profiles.active=test",
                "--spring.datasource.url=" + jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--contactmirror.connection.replica-id=" + replicaId,
                "--contactmirror.connection.lease-ttl=" + System.getProperty("faults.lease-ttl", "PT3S"),
                "--contactmirror.connection.heartbeat-interval="
                        + System.getProperty("faults.heartbeat-interval", "PT0.25S"),
                "--contactmirror.connection.max-reconnect-attempts=1000",
                "--contactmirror.sandbox.auto-scan-after=PT0.1S",
                "--contactmirror.sandbox.contacts=5",
                "--contactmirror.sandbox.groups=0");
    }

    private ConfigurableApplicationContext startReplica(String replicaId) {
        var context = new SpringApplicationBuilder(ContactMirrorApplication.class)
                .run(replicaArguments(replicaId).toArray(String[]::new));
        replicas.add(context);
        return context;
    }

    /** A replica in its own JVM, so it can be killed like a crashed pod: SIGKILL, no shutdown hooks. */
    private Process startProcessReplica(String replicaId) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ContactMirrorApplication.class.getName());
        command.addAll(replicaArguments(replicaId));
        Path log = Files.createTempFile("faults-" + replicaId, ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(process);
        return process;
    }

    private JdbcClient jdbc() {
        return replicas.getFirst().getBean(JdbcClient.class);
    }

    private static Set<Long> live(ConfigurableApplicationContext replica) {
        return replica.getBean(SocketManager.class).liveInstances();
    }

    /** Instances whose lease a replica in another JVM holds, read from the database. */
    private Map<Long, String> leasesOfProcesses() {
        Map<Long, String> held = new HashMap<>();
        try {
            jdbc().sql("""
                            SELECT instance_id, owner_id FROM instance_leases
                            WHERE owner_id LIKE 'process-%' AND expires_at > now()""")
                    .query((rs, row) -> held.put(rs.getLong(1), rs.getString(2)))
                    .list();
        } catch (RuntimeException ex) {
            // The database is down during a drill; the in-process replicas are still sampled.
        }
        return held;
    }

    /** Samples every replica every 50 ms and records any instance live on two of them. */
    private void startSampling(boolean includeProcesses) {
        sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> {
                    Map<Long, String> seen =
                            new HashMap<>(includeProcesses && !processes.isEmpty() ? leasesOfProcesses() : Map.of());
                    for (var replica : replicas) {
                        if (replica.isActive()) {
                            String name = replica.getBean(SocketManager.class).incarnation();
                            for (Long id : live(replica)) {
                                String other = seen.put(id, name);
                                if (other != null) {
                                    violations.add("instance " + id + " live on " + other + " and " + name);
                                }
                            }
                        }
                    }
                },
                0,
                50,
                TimeUnit.MILLISECONDS);
    }

    private void createRunningInstances(ConfigurableApplicationContext replica) {
        RunningInstances running = RunningInstances.start(replica, "faults", INSTANCES);
        token = running.token();
        instanceIds = running.ids();
    }

    private Set<Long> liveEverywhere() {
        Set<Long> union = new HashSet<>();
        for (var replica : replicas) {
            if (replica.isActive()) {
                union.addAll(live(replica));
            }
        }
        return union;
    }

    private long connectedRows() {
        return jdbc().sql("SELECT count(*) FROM instances WHERE status = 'CONNECTED' AND sync_state = 'SYNCED'")
                .query(Long.class)
                .single();
    }

    /** Every in-process replica runs its fair share, so balancing has nothing left to move. */
    private void awaitEvenSplit() {
        int share = (INSTANCES + replicas.size() - 1) / replicas.size();
        await().atMost(RECOVERY_DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (var replica : replicas) {
                assertThat(live(replica).size()).isBetween(share - 1, share);
            }
        });
    }

    /** Every instance live on some in-process replica and its row saying so. */
    private Duration awaitAllLive(Duration deadline) {
        long started = System.nanoTime();
        await().atMost(deadline)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(liveEverywhere()).containsExactlyInAnyOrderElementsOf(instanceIds);
                    assertThat(connectedRows()).isEqualTo(INSTANCES);
                });
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** CRM writes through the API while a drill runs: what was acknowledged, per contact, by sequence number. */
    private final class CrmWriter implements Runnable {
        final List<Long> contactIds;
        final int port;
        final Map<Long, Integer> acknowledged = new ConcurrentHashMap<>();
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        Thread thread;

        CrmWriter(ConfigurableApplicationContext replica) {
            this.port = Integer.parseInt(replica.getEnvironment().getProperty("local.server.port"));
            this.contactIds = jdbc().sql("SELECT id FROM contacts ORDER BY id LIMIT 50")
                    .query(Long.class)
                    .list();
        }

        void start() {
            thread = Thread.ofVirtual().start(this);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        @Override
        public void run() {
            int sequence = 0;
            while (running.get()) {
                long id = contactIds.get(sequence % contactIds.size());
                sequence++;
                attempts.incrementAndGet();
                try {
                    var request = HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/api/v1/contacts/" + id))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .method(
                                    "PATCH",
                                    HttpRequest.BodyPublishers.ofString("{\"notes\":\"write " + sequence + "\"}"))
                            .build();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        acknowledged.put(id, sequence);
                    } else if (response.statusCode() != 412 && response.statusCode() != 503) {
                        unexpected.add(response.statusCode() + " " + response.body());
                    }
                    Thread.sleep(20);
                } catch (IOException ex) {
                    // Not acknowledged.
                } catch (InterruptedException ex) {
                    return;
                } catch (RuntimeException ex) {
                    unexpected.add(ex.toString());
                }
            }
        }

        /** Each contact holds its last acknowledged write, or a later one whose answer was lost. */
        int verify() {
            assertThat(unexpected)
                    .as("answers other than 200, 412 (changed concurrently) or 503 (database down)")
                    .isEmpty();
            acknowledged.forEach((id, sequence) -> {
                String notes = jdbc().sql("SELECT notes FROM contacts WHERE id = ?")
                        .param(id)
                        .query(String.class)
                        .single();
                assertThat(Integer.parseInt(notes.substring("write ".length())))
                        .as("notes of contact %d", id)
                        .isGreaterThanOrEqualTo(sequence);
            });
            return acknowledged.size();
        }
    }

    private HttpResponse<String> get(ConfigurableApplicationContext replica, String path) throws Exception {
        int port = Integer.parseInt(replica.getEnvironment().getProperty("local.server.port"));
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(15));
        if (path.startsWith("/api/")) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Where every instance runs, read at a moment when all are live: a session that reconnects in place right then
     * would be missing from a single reading, without having moved.
     */
    private Map<Long, String> completePlacement() {
        return await().atMost(RECOVERY_DEADLINE).until(this::placement, placement -> placement.size() == INSTANCES);
    }

    /** Which replica incarnation runs each instance. */
    private Map<Long, String> placement() {
        Map<Long, String> placement = new HashMap<>();
        for (var replica : replicas) {
            String name = replica.getBean(SocketManager.class).incarnation();
            live(replica).forEach(id -> placement.put(id, name));
        }
        return placement;
    }

    @Test
    void everyInstanceIsLiveAgainAfterDatabaseRestartsShortAndLongWithoutMoving() throws Exception {
        var first = startReplica("replica-a");
        createRunningInstances(first);
        startReplica("replica-b");
        startReplica("replica-c");
        startSampling(false);
        awaitAllLive(RECOVERY_DEADLINE);
        awaitEvenSplit();
        Duration ttl = first.getBean(ConnectionProperties.class).leaseTtl();
        CrmWriter writer = new CrmWriter(first);
        writer.start();

        for (Duration downtime : List.of(Duration.ofMillis(500), ttl.multipliedBy(2))) {
            Map<Long, String> before = completePlacement();
            Thread.sleep(500);
            long restartedAt = System.nanoTime();
            postgres.close();
            Thread.sleep(downtime.toMillis() / 2);
            HttpResponse<String> duringOutage = get(first, "/api/v1/instances");
            assertThat(duringOutage.statusCode()).as(duringOutage.body()).isEqualTo(503);
            assertThat(duringOutage.body()).contains("\"error_code\":\"SERVICE_UNAVAILABLE\"", "request_id");
            assertThat(get(first, "/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(get(first, "/actuator/health/liveness").statusCode()).isEqualTo(200);
            Thread.sleep(downtime.toMillis() / 2);
            startPostgres();
            Duration recovery = awaitAllLive(RECOVERY_DEADLINE);
            Map<Long, String> after = completePlacement();
            System.out.printf(
                    "FAULTS database-restart instances=%d replicas=3 downtime_ms=%d recovery_ms=%d moved=%d double_live_samples=%d%n",
                    INSTANCES,
                    downtime.toMillis(),
                    Duration.ofNanos(System.nanoTime() - restartedAt).toMillis(),
                    before.entrySet().stream()
                            .filter(e -> !e.getValue().equals(after.get(e.getKey())))
                            .count(),
                    violations.size());
            assertThat(recovery).isLessThan(RECOVERY_DEADLINE);
            assertThat(after)
                    .as("no instance moved to another replica because of the outage")
                    .isEqualTo(before);
        }
        Thread.sleep(500);
        writer.stop();

        int acknowledged = writer.verify();
        System.out.printf(
                "FAULTS database-restart crm_attempts=%d crm_acknowledged_contacts=%d%n",
                writer.attempts.get(), acknowledged);
        assertThat(violations).isEmpty();
    }

    @Test
    void aKilledReplicasInstancesAreLiveElsewhereAndItsSuccessorInheritsNothing() throws Exception {
        var first = startReplica("replica-a");
        createRunningInstances(first);
        startReplica("replica-b");
        Process doomed = startProcessReplica("process-k");
        startSampling(true);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> leasesOfProcesses().size() >= INSTANCES / 4
                        && liveEverywhere().size() + leasesOfProcesses().size() == INSTANCES);
        Map<Long, String> heldByDoomed = leasesOfProcesses();
        CrmWriter writer = new CrmWriter(first);
        writer.start();

        long killedAt = System.nanoTime();
        doomed.destroyForcibly().waitFor();
        // The same replica id comes back at once (a container restarted in its pod): it must not keep the dead
        // process's leases alive, so they expire and move.
        Process successor = startProcessReplica("process-k");
        Duration takeover = Duration.ZERO;
        await().atMost(TAKEOVER_DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    Set<Long> liveNow = new HashSet<>(liveEverywhere());
                    liveNow.addAll(leasesOfProcesses().keySet());
                    return liveNow.containsAll(heldByDoomed.keySet())
                            && heldByDoomed.keySet().stream()
                                    .noneMatch(id -> heldByDoomed
                                            .get(id)
                                            .equals(leasesOfProcesses().get(id)));
                });
        takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> connectedRows() == INSTANCES);
        writer.stop();
        successor.destroyForcibly().waitFor();

        int acknowledged = writer.verify();
        long oldIncarnationLeases = jdbc().sql("SELECT count(*) FROM instance_leases WHERE owner_id = ?")
                .param(heldByDoomed.values().iterator().next())
                .query(Long.class)
                .single();
        System.out.printf(
                "FAULTS replica-killed instances=%d replicas=3 killed_held=%d takeover_ms=%d crm_attempts=%d crm_acknowledged_contacts=%d double_live_samples=%d%n",
                INSTANCES,
                heldByDoomed.size(),
                takeover.toMillis(),
                writer.attempts.get(),
                acknowledged,
                violations.size());
        assertThat(oldIncarnationLeases)
                .as("leases still held by the killed process")
                .isZero();
        assertThat(takeover).isLessThan(TAKEOVER_DEADLINE);
        assertThat(violations).isEmpty();
    }

    @Test
    void aStalledLeaseRenewalClosesSessionsBeforeAnyoneElseCanOpenThem() throws Exception {
        var first = startReplica("replica-a");
        createRunningInstances(first);
        var second = startReplica("replica-b");
        startSampling(false);
        awaitAllLive(RECOVERY_DEADLINE);

        // A lock on the lease table stalls every renewal (and every takeover) for four lease TTLs.
        Duration ttl = first.getBean(ConnectionProperties.class).leaseTtl();
        try (Connection lock = DriverManager.getConnection(jdbcUrl(), "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE instance_leases IN ACCESS EXCLUSIVE MODE");
            }
            await().atMost(ttl.multipliedBy(3))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> live(first).isEmpty() && live(second).isEmpty());
            Thread.sleep(ttl.toMillis());
            lock.rollback();
        }
        long releasedAt = System.nanoTime();
        awaitAllLive(RECOVERY_DEADLINE);
        System.out.printf(
                "FAULTS lease-stall instances=%d replicas=2 recovery_ms=%d double_live_samples=%d%n",
                INSTANCES, Duration.ofNanos(System.nanoTime() - releasedAt).toMillis(), violations.size());
        assertThat(violations).isEmpty();
    }
}
