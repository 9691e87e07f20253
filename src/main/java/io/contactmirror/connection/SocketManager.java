package io.contactmirror.connection;

import io.contactmirror.connection.ConnectionStateRepository.SessionTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps exactly one live session per running instance across all replicas. Ownership is a lease row per instance
 * (see {@link LeaseRepository}); on every heartbeat this replica renews its leases, carries out what the API asked
 * of the instances it owns (stop, log out, delete, pair by phone), gives up instances beyond its fair share and takes
 * unowned ones up to it, so new and orphaned instances go to the least-loaded replicas.
 *
 * <p>All session life-cycle changes run on one scheduler thread, so no two of them race for the same instance;
 * engines report on their own threads.
 */
@Component
public class SocketManager implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SocketManager.class);

    private final Map<EngineType, WhatsAppEngine> engines;
    private final LeaseRepository leases;
    private final ConnectionStateRepository state;
    private final InstanceDataPublisher publisher;
    private final ConnectionProperties properties;
    private final String replicaId;
    private final Map<Long, ManagedSession> sessions = new ConcurrentHashMap<>();
    private final Map<InstanceStatus, Long> statusCounts = new ConcurrentHashMap<>();
    private final Counter reconnects;
    private final Timer syncDuration;
    private final MultiGauge instancesByStatus;
    private ScheduledExecutorService scheduler;
    private volatile boolean running;
    private volatile boolean draining;

    SocketManager(
            List<WhatsAppEngine> engines,
            LeaseRepository leases,
            ConnectionStateRepository state,
            InstanceDataPublisher publisher,
            ConnectionProperties properties,
            MeterRegistry meters) {
        this.engines = engines.stream().collect(Collectors.toMap(WhatsAppEngine::type, Function.identity()));
        this.leases = leases;
        this.state = state;
        this.publisher = publisher;
        this.properties = properties;
        this.replicaId = properties.replicaId() != null && !properties.replicaId().isBlank()
                ? properties.replicaId()
                : hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Gauge.builder("contactmirror.sessions.live", sessions, map -> map.values().stream().filter(ManagedSession::loggedIn).count())
                .description("Logged-in sessions held by this replica")
                .register(meters);
        Gauge.builder("contactmirror.leases.held", sessions, Map::size)
                .description("Instance leases held by this replica")
                .register(meters);
        this.reconnects = Counter.builder("contactmirror.sessions.reconnects")
                .description("Reconnect attempts scheduled after a dropped or failed session")
                .register(meters);
        this.syncDuration = Timer.builder("contactmirror.sync.duration")
                .description("Initial contact sync of a session, from first batch to complete")
                .register(meters);
        this.instancesByStatus = MultiGauge.builder("contactmirror.instances")
                .description("Instances by connection status, cluster-wide")
                .register(meters);
    }

    public String replicaId() {
        return replicaId;
    }

    /** The logged-in session of an instance if this replica holds it. */
    public Optional<EngineSession> localSession(long instanceId) {
        return Optional.ofNullable(sessions.get(instanceId)).map(ManagedSession::session);
    }

    /** Instances whose lease this replica holds right now. */
    public Set<Long> ownedInstances() {
        return Set.copyOf(sessions.keySet());
    }

    public Duration liveQueryTimeout() {
        return properties.liveQueryTimeout();
    }

    /** Runs one heartbeat right away instead of waiting for the next (after an API request, to react quickly). */
    public void nudge() {
        if (running) {
            scheduler.execute(this::heartbeat);
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("socket-manager").daemon().factory());
        draining = false;
        running = true;
        scheduler.scheduleWithFixedDelay(
                this::heartbeat, 0, properties.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Socket manager started as replica {}", replicaId);
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        draining = true;
        try {
            scheduler.submit(this::handOverEverything).get(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            log.warn("Handing over instances did not finish cleanly: {}", ex.toString());
        }
        running = false;
        scheduler.shutdownNow();
        log.info("Socket manager stopped; replica {} handed over its instances", replicaId);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server stopped taking requests, before the database goes away. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void heartbeat() {
        try {
            leases.heartbeat(replicaId, draining);
            dropLostLeases(leases.renew(replicaId, properties.leaseTtl()));
            carryOutRequests();
            finishUnownedRequests();
            if (!draining) {
                balance();
            }
            refreshStatusGauge();
        } catch (RuntimeException ex) {
            log.warn("Socket manager heartbeat failed (will retry): {}", ex.toString());
        }
    }

    /** A lease this replica no longer holds (expired during a pause, taken over) means the session must go. */
    private void dropLostLeases(Map<Long, Long> held) {
        for (ManagedSession managed : List.copyOf(sessions.values())) {
            Long epoch = held.get(managed.instanceId);
            if (epoch == null || epoch != managed.fence.epoch()) {
                log.warn("Lost the lease of instance {}; closing its session here", managed.instanceId);
                managed.close();
                sessions.remove(managed.instanceId);
            }
        }
    }

    private void carryOutRequests() {
        Map<Long, SessionTarget> targets = state.targets(sessions.keySet());
        for (ManagedSession managed : List.copyOf(sessions.values())) {
            SessionTarget target = targets.get(managed.instanceId);
            if (target == null) {
                managed.close();
                sessions.remove(managed.instanceId);
                continue;
            }
            switch (target.desired()) {
                case RUNNING -> {
                    if (target.pairingPhone() != null
                            && !target.pairingPhone().equals(managed.pairingPhone())
                            && !managed.loggedIn()) {
                        managed.open(target.pairingPhone());
                    }
                }
                case STOPPED -> {
                    managed.close();
                    state.disconnected(managed.instanceId, managed.fence, InstanceStatus.DISCONNECTED, "CLOSED", "disconnected on request", 0);
                    release(managed);
                }
                case LOGGED_OUT -> {
                    managed.logout();
                    state.stopped(managed.instanceId, managed.fence, InstanceStatus.LOGGED_OUT, "LOGGED_OUT", "logged out on request");
                    release(managed);
                }
                case DELETED -> {
                    managed.logout();
                    managed.engine.forget(managed.instanceId);
                    state.delete(managed.instanceId);
                    sessions.remove(managed.instanceId);
                    log.info("Instance {} deleted", target.apiInstanceName());
                }
            }
        }
    }

    private void finishUnownedRequests() {
        for (SessionTarget target : state.unownedPending()) {
            WhatsAppEngine engine = engines.get(target.engine());
            if (target.desired() == DesiredState.DELETED) {
                if (engine != null) {
                    engine.forget(target.id());
                }
                state.delete(target.id());
                log.info("Instance {} deleted", target.apiInstanceName());
            } else {
                if (engine != null) {
                    engine.logoutWithoutSession(target.id());
                }
                state.loggedOutWithoutSession(target.id());
            }
        }
    }

    /** Gives up instances beyond the fair share, then takes unowned ones up to it. */
    private void balance() {
        LeaseRepository.Load load = leases.load(properties.leaseTtl());
        long share = load.fairShare();
        // Only sessions that should keep running count; the others are closed by the next carryOutRequests.
        Map<Long, SessionTarget> targets = state.targets(sessions.keySet());
        List<ManagedSession> running = sessions.values().stream()
                .filter(managed -> targets.containsKey(managed.instanceId)
                        && targets.get(managed.instanceId).desired() == DesiredState.RUNNING)
                .sorted(Comparator.comparingLong((ManagedSession managed) -> managed.instanceId).reversed())
                .toList();
        if (running.size() > share) {
            for (ManagedSession managed : running.subList(0, (int) (running.size() - share))) {
                log.info("Handing instance {} over to a less loaded replica", managed.instanceId);
                managed.close();
                state.status(managed.instanceId, managed.fence, InstanceStatus.RECONNECTING);
                release(managed);
            }
            return;
        }
        for (Long instanceId : leases.unownedRunning((int) (share - running.size()))) {
            leases.tryAcquire(instanceId, replicaId, properties.leaseTtl())
                    .ifPresent(epoch -> open(instanceId, new Fence(replicaId, epoch)));
        }
    }

    private void open(long instanceId, Fence fence) {
        Optional<SessionTarget> target = state.target(instanceId);
        if (target.isEmpty() || target.get().desired() != DesiredState.RUNNING) {
            leases.release(instanceId, replicaId);
            return;
        }
        WhatsAppEngine engine = engines.get(target.get().engine());
        if (engine == null) {
            state.stopped(instanceId, fence, InstanceStatus.FAILED, "NO_ENGINE", "no engine for " + target.get().engine());
            leases.release(instanceId, replicaId);
            return;
        }
        ManagedSession managed = new ManagedSession(target.get(), fence, engine, this, state, publisher, syncDuration);
        sessions.put(instanceId, managed);
        log.info("Opening a session for instance {} (lease epoch {})", target.get().apiInstanceName(), fence.epoch());
        managed.open(target.get().pairingPhone());
    }

    /** Called from engine threads; handled on the scheduler thread like every other life-cycle change. */
    void onDisconnected(ManagedSession managed, int attempt, DisconnectReason reason, String detail) {
        if (!running) {
            return;
        }
        scheduler.execute(() -> {
            try {
                handleDisconnect(managed, attempt, reason, detail);
            } catch (RuntimeException ex) {
                log.warn("Handling the disconnect of instance {} failed: {}", managed.instanceId, ex.toString());
            }
        });
    }

    private void handleDisconnect(ManagedSession managed, int attempt, DisconnectReason reason, String detail) {
        if (!managed.isCurrent(attempt) || sessions.get(managed.instanceId) != managed || reason == DisconnectReason.CLOSED) {
            return;
        }
        if (!reason.reconnect()) {
            log.info("Instance {} ended: {} ({})", managed.instanceId, reason, detail);
            managed.close();
            state.stopped(managed.instanceId, managed.fence, InstanceStatus.LOGGED_OUT, reason.name(), detail);
            release(managed);
            return;
        }
        int failures = ++managed.failures;
        if (failures > properties.maxReconnectAttempts()) {
            log.warn("Instance {} failed {} times in a row; giving up: {}", managed.instanceId, failures - 1, detail);
            managed.close();
            state.stopped(managed.instanceId, managed.fence, InstanceStatus.FAILED, reason.name(), detail);
            release(managed);
            return;
        }
        Duration delay = backoff(failures);
        reconnects.increment();
        state.disconnected(managed.instanceId, managed.fence, InstanceStatus.RECONNECTING, reason.name(), detail, failures);
        log.info("Instance {} disconnected ({}); reconnect attempt {} in {} ms", managed.instanceId, reason, failures, delay.toMillis());
        scheduler.schedule(
                () -> {
                    if (managed.isCurrent(attempt) && sessions.get(managed.instanceId) == managed) {
                        managed.open(managed.pairingPhone());
                    }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Exponential backoff with "equal jitter": half fixed, half random, so replicas do not reconnect in lockstep. */
    Duration backoff(int attempt) {
        long initial = properties.reconnectInitialBackoff().toMillis();
        long cap = properties.reconnectMaxBackoff().toMillis();
        long exponential = Math.min(cap, initial << Math.min(attempt - 1, 20));
        return Duration.ofMillis(exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1));
    }

    private void release(ManagedSession managed) {
        sessions.remove(managed.instanceId);
        leases.release(managed.instanceId, replicaId);
    }

    private void handOverEverything() {
        for (ManagedSession managed : List.copyOf(sessions.values())) {
            managed.close();
            try {
                state.status(managed.instanceId, managed.fence, InstanceStatus.RECONNECTING);
                release(managed);
            } catch (RuntimeException ex) {
                log.warn("Could not release instance {}: {}", managed.instanceId, ex.toString());
            }
        }
        try {
            leases.removeReplica(replicaId);
        } catch (RuntimeException ex) {
            log.warn("Could not deregister replica {}: {}", replicaId, ex.toString());
        }
    }

    private void refreshStatusGauge() {
        Map<InstanceStatus, Long> counts = new EnumMap<>(InstanceStatus.class);
        for (InstanceStatus status : InstanceStatus.values()) {
            counts.put(status, 0L);
        }
        counts.putAll(state.countByStatus());
        statusCounts.putAll(counts);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (InstanceStatus status : InstanceStatus.values()) {
            rows.add(MultiGauge.Row.of(Tags.of("status", status.name()), statusCounts, map -> map.get(status)));
        }
        instancesByStatus.register(rows, true);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception ex) {
            return "replica";
        }
    }
}
