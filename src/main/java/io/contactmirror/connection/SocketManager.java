package io.contactmirror.connection;

import io.contactmirror.connection.ConnectionStateRepository.SessionTarget;
import io.contactmirror.connection.engine.WhatsAppEngine;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps exactly one live session per running instance across all replicas. Ownership is a lease row per instance
 * (see {@link LeaseRepository}), held by this process's incarnation (replica id plus a random part per start, so a
 * restarted process never inherits the leases of the one before).
 *
 * <p>Three threads, so that nothing slow can keep a lease alive that should not be:
 * <ul>
 *   <li><b>lease keeper</b>: renews exactly the leases this incarnation holds, and nothing else;
 *   <li><b>lease watchdog</b>: closes every session whose lease was not confirmed before its local (monotonic)
 *       deadline, whether or not the database answers, so a stalled or partitioned replica goes quiet before its
 *       leases expire for the others;
 *   <li><b>life cycle</b>: carries out what the API asked (stop, log out, delete, pair by phone), reopens any held
 *       instance that is not live and has no attempt under way (whatever failed before), balances instances
 *       between replicas. Database writes and slow calls (logouts, deletes) run on each session's writer thread.
 * </ul>
 */
@Component
public class SocketManager implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SocketManager.class);

    private final Map<EngineType, WhatsAppEngine> engines;
    private final LeaseRepository leases;
    private final ConnectionStateRepository state;
    private final InstanceDataPublisher publisher;
    private final ConnectionProperties properties;
    private final String incarnation;
    private final Map<Long, ManagedSession> sessions = new ConcurrentHashMap<>();
    private final Map<InstanceStatus, Long> statusCounts = new ConcurrentHashMap<>();
    private final AtomicBoolean finishingUnowned = new AtomicBoolean();
    private final Counter reconnects;
    private final Counter failedWrites;
    private final Counter leaseExpiries;
    private final Timer syncDuration;
    private final MultiGauge instancesByStatus;
    private ScheduledExecutorService lifeCycle;
    private ScheduledExecutorService keeper;
    private ScheduledExecutorService watchdog;
    private ExecutorService jobs;
    private volatile boolean running;
    private volatile boolean draining;
    private volatile boolean databaseUnreachable;
    private long keeperRounds;

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
        String replicaId =
                properties.replicaId() != null && !properties.replicaId().isBlank()
                        ? properties.replicaId()
                        : hostName();
        this.incarnation = replicaId + "#" + UUID.randomUUID().toString().substring(0, 8);
        Gauge.builder(
                        "contactmirror.sessions.live",
                        sessions,
                        map -> map.values().stream()
                                .filter(ManagedSession::live)
                                .count())
                .description("Logged-in sessions with a working connection on this replica")
                .register(meters);
        Gauge.builder("contactmirror.leases.held", sessions, Map::size)
                .description("Instance leases held by this replica")
                .register(meters);
        this.reconnects = Counter.builder("contactmirror.sessions.reconnects")
                .description("Reconnect attempts scheduled after a dropped or failed session")
                .register(meters);
        this.failedWrites = Counter.builder("contactmirror.sessions.failed.writes")
                .description("Session writes (instance state, mirror batches) that failed and were retried or refused")
                .register(meters);
        this.leaseExpiries = Counter.builder("contactmirror.leases.expired")
                .description("Sessions closed because their lease was not confirmed before its local deadline")
                .register(meters);
        this.syncDuration = Timer.builder("contactmirror.sync.duration")
                .description("Initial contact sync of a session, from first batch to complete")
                .register(meters);
        this.instancesByStatus = MultiGauge.builder("contactmirror.instances")
                .description("Instances by connection status, cluster-wide")
                .register(meters);
    }

    /** This process's name in the lease table: the replica id plus a random part per start. */
    public String incarnation() {
        return incarnation;
    }

    /** The logged-in session of an instance if it is live on this replica. */
    public Optional<LiveSession> localSession(long instanceId) {
        return Optional.ofNullable(sessions.get(instanceId)).map(ManagedSession::liveSession);
    }

    /** Instances this replica holds to keep running (not those it is stopping or handing over). */
    public Set<Long> ownedInstances() {
        return sessions.values().stream()
                .filter(m -> !m.ending)
                .map(m -> m.instanceId)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Instances with a logged-in session whose connection works, on this replica. */
    public Set<Long> liveInstances() {
        return sessions.values().stream()
                .filter(ManagedSession::live)
                .map(m -> m.instanceId)
                .collect(Collectors.toUnmodifiableSet());
    }

    public Duration liveQueryTimeout() {
        return properties.liveQueryTimeout();
    }

    /**
     * Records what the API asks of an instance (when pairing by phone, also which phone; a deleted instance stays
     * deleted) and acts on it right away: the owning replica connects, stops, logs out or deletes.
     */
    public void request(long instanceId, DesiredState desired, @Nullable String pairingPhone) {
        state.request(instanceId, desired, pairingPhone);
        nudge();
    }

    /** Runs the life cycle right away instead of waiting for the next beat (after an API request, to react quickly). */
    public void nudge() {
        onLifeCycle(this::tick);
    }

    @Override
    public void start() {
        draining = false;
        running = true;
        long beat = properties.heartbeatInterval().toMillis();
        lifeCycle = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("socket-manager").daemon().factory());
        keeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("lease-keeper").daemon().factory());
        watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("lease-watchdog").daemon().factory());
        jobs = Executors.newVirtualThreadPerTaskExecutor();
        keeper.scheduleWithFixedDelay(this::renewLeases, 0, beat, TimeUnit.MILLISECONDS);
        watchdog.scheduleWithFixedDelay(
                this::expireUnconfirmedLeases, beat, Math.max(50, beat / 4), TimeUnit.MILLISECONDS);
        lifeCycle.scheduleWithFixedDelay(this::tick, 0, beat, TimeUnit.MILLISECONDS);
        log.info("Socket manager started as {}", incarnation);
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        draining = true;
        try {
            lifeCycle.submit(this::handOverEverything).get(20, TimeUnit.SECONDS);
        } catch (Exception ex) {
            log.warn("Handing over instances did not finish cleanly: {}", ex.toString());
        }
        running = false;
        lifeCycle.shutdownNow();
        keeper.shutdownNow();
        watchdog.shutdownNow();
        jobs.shutdownNow();
        log.info("Socket manager stopped; {} handed over its instances", incarnation);
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

    // ---- lease keeper ------------------------------------------------------------------------------------------

    private void renewLeases() {
        long sentAt = System.nanoTime();
        Map<Long, Long> held = new HashMap<>();
        sessions.forEach((id, managed) -> held.put(id, managed.fence.epoch()));
        try {
            leases.heartbeat(incarnation, draining, databaseUnreachable);
            Map<Long, Long> renewed = leases.renew(incarnation, held, properties.leaseTtl());
            long deadline = sentAt + localLeaseValidity().toNanos();
            held.forEach((id, epoch) -> {
                ManagedSession managed = sessions.get(id);
                if (managed == null || managed.fence.epoch() != epoch) {
                    return;
                }
                if (Objects.equals(renewed.get(id), epoch)) {
                    managed.leaseConfirmed(deadline);
                } else {
                    onLifeCycle(() -> leaseLost(managed));
                }
            });
            if (databaseUnreachable) {
                databaseUnreachable = false;
                log.info("Database reachable again; {} leases confirmed", renewed.size());
            }
            if (++keeperRounds % 1000 == 0) {
                leases.forgetSilentReplicas();
            }
        } catch (RuntimeException ex) {
            if (!databaseUnreachable) {
                log.warn(
                        "Renewing leases failed; sessions close at their lease deadline unless renewed: {}",
                        ex.toString());
            }
            databaseUnreachable = true;
        }
    }

    /**
     * How long a renewal keeps a session open locally, counted from before the renewal was sent: the TTL less a
     * heartbeat, so the session is closed here before the lease can expire for the others.
     */
    private Duration localLeaseValidity() {
        return properties.leaseTtl().minus(properties.heartbeatInterval());
    }

    private void leaseLost(ManagedSession managed) {
        if (sessions.remove(managed.instanceId, managed)) {
            log.warn("Lost the lease of instance {}; closing its session here", managed.apiInstanceName());
            managed.abandon();
        }
    }

    // ---- lease watchdog ----------------------------------------------------------------------------------------

    private void expireUnconfirmedLeases() {
        long now = System.nanoTime();
        for (ManagedSession managed : sessions.values()) {
            // Off this thread: a session may be busy opening (waiting for the database) and must not hold up the rest.
            if (!managed.leaseValid(now)
                    && managed.hasSessionUnlocked()
                    && managed.suspending.compareAndSet(false, true)) {
                jobs.execute(() -> {
                    try {
                        if (!managed.leaseValid(System.nanoTime()) && managed.suspend()) {
                            leaseExpiries.increment();
                            log.warn(
                                    "Lease of instance {} not confirmed in time; its session is closed until it is",
                                    managed.apiInstanceName());
                        }
                    } finally {
                        managed.suspending.set(false);
                    }
                });
            }
        }
    }

    // ---- life cycle --------------------------------------------------------------------------------------------

    private void onLifeCycle(Runnable task) {
        if (!running) {
            return;
        }
        try {
            lifeCycle.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException ex) {
                    log.warn("Socket manager task failed (the next beat retries): {}", ex.toString());
                }
            });
        } catch (RejectedExecutionException ex) {
            // Shutting down.
        }
    }

    private void tick() {
        try {
            carryOutRequests();
        } catch (RuntimeException ex) {
            log.warn("Reading the instances' requested states failed (the next beat retries): {}", ex.toString());
        }
        long now = System.nanoTime();
        for (ManagedSession managed : sessions.values()) {
            if (!managed.ending && managed.target().desired() == DesiredState.RUNNING) {
                reconcile(managed, now);
            }
        }
        try {
            finishUnownedRequests();
            if (!draining) {
                balance();
            }
            refreshStatusGauge();
        } catch (RuntimeException ex) {
            log.warn("Socket manager beat failed (will retry): {}", ex.toString());
        }
    }

    /** Keeps a held, running instance converging to one live session, whatever failed before. */
    private void reconcile(ManagedSession managed, long now) {
        if (managed.isDead()) {
            handleDisconnect(
                    managed,
                    managed.currentAttempt(),
                    DisconnectReason.CONNECTION_LOST,
                    "the connection died without notice");
            return;
        }
        String phone = managed.target().pairingPhone();
        if (phone != null && !phone.equals(managed.pairingPhone()) && !managed.loggedIn() && managed.leaseValid(now)) {
            managed.open(phone);
            return;
        }
        if (!managed.hasSession() && managed.leaseValid(now) && now - managed.retryAt >= 0) {
            managed.open(managed.pairingPhone());
        }
    }

    private void carryOutRequests() {
        List<ManagedSession> active =
                sessions.values().stream().filter(managed -> !managed.ending).toList();
        if (active.isEmpty()) {
            return;
        }
        Map<Long, SessionTarget> targets =
                state.targets(active.stream().map(managed -> managed.instanceId).toList());
        for (ManagedSession managed : active) {
            SessionTarget target = targets.get(managed.instanceId);
            if (target == null) {
                // The row is gone: nothing to write, nothing to keep.
                sessions.remove(managed.instanceId, managed);
                managed.abandon();
                continue;
            }
            managed.target(target);
            switch (target.desired()) {
                case RUNNING -> {}
                case STOPPED -> {
                    managed.close();
                    end(
                            managed,
                            "stop",
                            () -> state.disconnected(
                                    managed.instanceId,
                                    managed.fence,
                                    InstanceStatus.DISCONNECTED,
                                    "CLOSED",
                                    "disconnected on request",
                                    0));
                }
                case LOGGED_OUT ->
                    end(managed, "logout", () -> {
                        managed.logout();
                        state.stopped(
                                managed.instanceId,
                                managed.fence,
                                InstanceStatus.LOGGED_OUT,
                                "LOGGED_OUT",
                                "logged out on request");
                    });
                case DELETED -> {
                    managed.ending = true;
                    managed.save("delete", () -> {
                        managed.logout();
                        delete(managed.engine, managed.instanceId, target.apiInstanceName());
                    });
                    forgetAfterWrites(managed);
                }
            }
        }
    }

    /**
     * Ends a session for good on its writer thread: the final work (close or log out, and the row's last state),
     * then the lease is released and the session forgotten. The lease stays renewed until then.
     */
    private void end(ManagedSession managed, String what, Runnable finalWork) {
        managed.ending = true;
        managed.save(what, finalWork);
        managed.save(
                "lease release", () -> leases.release(incarnation, Map.of(managed.instanceId, managed.fence.epoch())));
        forgetAfterWrites(managed);
    }

    private void forgetAfterWrites(ManagedSession managed) {
        managed.run(
                "forget",
                () -> onLifeCycle(() -> {
                    if (sessions.remove(managed.instanceId, managed)) {
                        managed.abandon();
                    }
                }));
    }

    private void delete(WhatsAppEngine engine, long instanceId, String apiInstanceName) {
        if (engine != null) {
            engine.forget(instanceId);
        }
        publisher.publish(new InstanceDeleting(instanceId));
        state.delete(instanceId);
        log.info("Instance {} deleted", apiInstanceName);
    }

    /** Deleted or logged-out instances nobody holds: finished here, off the life-cycle thread. */
    private void finishUnownedRequests() {
        List<SessionTarget> pending = state.unownedPending();
        if (pending.isEmpty() || !finishingUnowned.compareAndSet(false, true)) {
            return;
        }
        jobs.execute(() -> {
            try {
                for (SessionTarget target : pending) {
                    WhatsAppEngine engine = engines.get(target.engine());
                    if (target.desired() == DesiredState.DELETED) {
                        delete(engine, target.id(), target.apiInstanceName());
                    } else {
                        if (engine != null) {
                            engine.logoutWithoutSession(target.id());
                        }
                        state.loggedOutWithoutSession(target.id());
                    }
                }
            } catch (RuntimeException ex) {
                log.warn("Finishing requests of unowned instances failed (the next beat retries): {}", ex.toString());
            } finally {
                finishingUnowned.set(false);
            }
        });
    }

    /**
     * Gives up instances beyond the fair share, then takes takeable ones up to it. The held instances' requested
     * states are read after the count of running instances: a stop requested since this beat carried out requests
     * is then missing from both, never counted here only, where it would be handed over instead of stopped.
     */
    private void balance() {
        LeaseRepository.Load load = leases.load(properties.leaseTtl());
        long share = load.fairShare();
        Map<Long, SessionTarget> requested = state.targets(sessions.keySet());
        List<ManagedSession> runningHere = sessions.values().stream()
                .filter(managed -> !managed.ending && managed.target().desired() == DesiredState.RUNNING)
                .filter(managed -> {
                    SessionTarget target = requested.get(managed.instanceId);
                    return target != null && target.desired() == DesiredState.RUNNING;
                })
                .sorted(Comparator.comparingLong((ManagedSession managed) -> managed.instanceId)
                        .reversed())
                .toList();
        if (runningHere.size() > share) {
            for (ManagedSession managed : runningHere.subList(0, (int) (runningHere.size() - share))) {
                log.info("Handing instance {} over to a less loaded replica", managed.apiInstanceName());
                managed.close();
                end(
                        managed,
                        "handover",
                        () -> state.status(managed.instanceId, managed.fence, InstanceStatus.RECONNECTING));
            }
            return;
        }
        for (Long instanceId :
                leases.unownedRunning(incarnation, (int) (share - runningHere.size()), properties.leaseTtl())) {
            long sentAt = System.nanoTime();
            leases.tryAcquire(instanceId, incarnation, properties.leaseTtl())
                    .ifPresent(epoch -> take(
                            instanceId,
                            new Fence(incarnation, epoch),
                            sentAt + localLeaseValidity().toNanos()));
        }
    }

    private void take(long instanceId, Fence fence, long leaseDeadline) {
        Optional<SessionTarget> target = state.target(instanceId);
        if (target.isEmpty() || target.get().desired() != DesiredState.RUNNING) {
            leases.release(incarnation, Map.of(instanceId, fence.epoch()));
            return;
        }
        WhatsAppEngine engine = engines.get(target.get().engine());
        if (engine == null) {
            state.stopped(
                    instanceId,
                    fence,
                    InstanceStatus.FAILED,
                    "NO_ENGINE",
                    "no engine for " + target.get().engine());
            leases.release(incarnation, Map.of(instanceId, fence.epoch()));
            return;
        }
        ManagedSession managed = new ManagedSession(
                target.get(), fence, leaseDeadline, engine, this, state, publisher, syncDuration, failedWrites);
        sessions.put(instanceId, managed);
        log.info(
                "Opening a session for instance {} (lease epoch {})",
                target.get().apiInstanceName(),
                fence.epoch());
        managed.open(target.get().pairingPhone());
    }

    /** Called from engine threads; handled on the life-cycle thread like every other life-cycle change. */
    void onDisconnected(ManagedSession managed, int attempt, DisconnectReason reason, String detail) {
        onLifeCycle(() -> handleDisconnect(managed, attempt, reason, detail));
    }

    private void handleDisconnect(ManagedSession managed, int attempt, DisconnectReason reason, String detail) {
        if (sessions.get(managed.instanceId) != managed
                || managed.ending
                || reason == DisconnectReason.CLOSED
                || !managed.endAttempt(attempt)) {
            return;
        }
        if (!reason.reconnect()) {
            log.info("Instance {} ended: {} ({})", managed.apiInstanceName(), reason, detail);
            end(
                    managed,
                    "end",
                    () -> state.stopped(
                            managed.instanceId, managed.fence, InstanceStatus.LOGGED_OUT, reason.name(), detail));
            return;
        }
        int failures = managed.stable() ? 1 : managed.failures + 1;
        managed.failures = failures;
        if (failures > properties.maxReconnectAttempts()) {
            log.warn(
                    "Instance {} failed {} times in a row; giving up: {}",
                    managed.apiInstanceName(),
                    failures - 1,
                    detail);
            end(
                    managed,
                    "give up",
                    () -> state.stopped(
                            managed.instanceId, managed.fence, InstanceStatus.FAILED, reason.name(), detail));
            return;
        }
        if (reason == DisconnectReason.REPLACED) {
            // Another connection holds the device: reconnect only once a renewal proves the lease is still ours.
            managed.doubtLease();
        }
        Duration delay = backoff(failures);
        managed.retryAt = System.nanoTime() + delay.toNanos();
        reconnects.increment();
        managed.save(
                "disconnect",
                () -> state.disconnected(
                        managed.instanceId,
                        managed.fence,
                        InstanceStatus.RECONNECTING,
                        reason.name(),
                        detail,
                        failures));
        log.info(
                "Instance {} disconnected ({}); reconnect attempt {} in {} ms",
                managed.apiInstanceName(),
                reason,
                failures,
                delay.toMillis());
        try {
            lifeCycle.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ex) {
            // Shutting down.
        }
    }

    /** Exponential backoff with "equal jitter": half fixed, half random, so replicas do not reconnect in lockstep. */
    Duration backoff(int attempt) {
        long initial = properties.reconnectInitialBackoff().toMillis();
        long cap = properties.reconnectMaxBackoff().toMillis();
        long exponential = Math.min(cap, initial << Math.min(attempt - 1, 20));
        return Duration.ofMillis(exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1));
    }

    private void handOverEverything() {
        Map<Long, Long> held = new HashMap<>();
        for (ManagedSession managed : List.copyOf(sessions.values())) {
            managed.abandon();
            if (!managed.ending) {
                held.put(managed.instanceId, managed.fence.epoch());
            }
        }
        sessions.clear();
        try {
            state.handedOver(incarnation, held);
            leases.release(incarnation, held);
        } catch (RuntimeException ex) {
            log.warn(
                    "Could not release {} instances (they move once their leases expire): {}",
                    held.size(),
                    ex.toString());
        }
        try {
            leases.removeReplica(incarnation);
        } catch (RuntimeException ex) {
            log.warn("Could not deregister {}: {}", incarnation, ex.toString());
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
