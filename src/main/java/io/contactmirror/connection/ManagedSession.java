package io.contactmirror.connection;

import io.contactmirror.connection.ConnectionStateRepository.SessionTarget;
import io.contactmirror.connection.engine.Account;
import io.contactmirror.connection.engine.EngineSession;
import io.contactmirror.connection.engine.SessionListener;
import io.contactmirror.connection.engine.SessionRequest;
import io.contactmirror.connection.engine.WhatsAppEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * The session of one instance on this replica, under one lease. Each (re)open is an attempt with its own listener;
 * events of an attempt that was replaced or closed are ignored.
 *
 * <p>Database writes never decide whether the session is retried: what the instance row should say is written on
 * the session's own writer thread, in order, retried until stored (or until the lease is gone), and mirror batches
 * are retried on the engine's thread, which holds the engine back instead of dropping data.
 */
final class ManagedSession {

    private static final Logger log = LoggerFactory.getLogger(ManagedSession.class);
    private static final Duration STABLE_AFTER = Duration.ofSeconds(60);
    private static final long MAX_RETRY_PAUSE_MILLIS = 5_000;

    final long instanceId;
    final Fence fence;
    final WhatsAppEngine engine;
    private final SocketManager manager;
    private final ConnectionStateRepository state;
    private final InstanceDataPublisher publisher;
    private final Timer syncDuration;
    private final Counter failedWrites;
    private final ExecutorService rowWriter;

    private volatile SessionTarget target;
    private volatile String pairingPhone;
    private volatile EngineSession session;
    private int attempt;
    private volatile boolean closed;
    private volatile boolean abandoned;
    private volatile boolean loggedIn;
    private volatile long loggedInAt;
    private volatile long syncStartedAt;
    private volatile long leaseDeadline;

    /** Consecutive failed attempts, and when the next one may start (System.nanoTime); life-cycle thread only. */
    int failures;

    long retryAt;
    /** A lease-expiry close is under way (watchdog). */
    final AtomicBoolean suspending = new AtomicBoolean();
    /** Set once the session is being stopped, logged out, deleted or handed over; it is then never reopened. */
    volatile boolean ending;

    ManagedSession(
            SessionTarget target,
            Fence fence,
            long leaseDeadline,
            WhatsAppEngine engine,
            SocketManager manager,
            ConnectionStateRepository state,
            InstanceDataPublisher publisher,
            Timer syncDuration,
            Counter failedWrites) {
        this.instanceId = target.id();
        this.target = target;
        this.pairingPhone = target.pairingPhone();
        this.fence = fence;
        this.leaseDeadline = leaseDeadline;
        this.engine = engine;
        this.manager = manager;
        this.state = state;
        this.publisher = publisher;
        this.syncDuration = syncDuration;
        this.failedWrites = failedWrites;
        this.retryAt = System.nanoTime();
        this.rowWriter = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("instance-" + instanceId + "-writer").factory());
    }

    SessionTarget target() {
        return target;
    }

    void target(SessionTarget latest) {
        this.target = latest;
    }

    String apiInstanceName() {
        return target.apiInstanceName();
    }

    String pairingPhone() {
        return pairingPhone;
    }

    boolean loggedIn() {
        return loggedIn;
    }

    /** Logged in over a connection that still works. */
    synchronized boolean live() {
        return loggedIn && session != null && session.isAlive();
    }

    synchronized EngineSession liveSession() {
        return live() ? session : null;
    }

    synchronized boolean hasSession() {
        return session != null;
    }

    /** Whether an attempt is open, without waiting for a life-cycle change in progress. */
    boolean hasSessionUnlocked() {
        return session != null;
    }

    /** The current attempt's connection died without the engine saying so. */
    synchronized boolean isDead() {
        return session != null && !session.isAlive();
    }

    synchronized int currentAttempt() {
        return attempt;
    }

    /** Up long enough that its next drop starts a new series of attempts. */
    boolean stable() {
        long since = loggedInAt;
        return since != 0 && System.nanoTime() - since > STABLE_AFTER.toNanos();
    }

    void leaseConfirmed(long deadline) {
        if (deadline - leaseDeadline > 0) {
            leaseDeadline = deadline;
        }
    }

    /** Distrusts the lease until the next renewal confirms it (another connection replaced ours). */
    void doubtLease() {
        leaseDeadline = System.nanoTime();
    }

    boolean leaseValid(long now) {
        return leaseDeadline - now > 0;
    }

    /** Opens (or reopens) the engine session; a failure to even start counts as a failed connect. */
    synchronized void open(String phone) {
        if (closed) {
            return;
        }
        this.pairingPhone = phone;
        closeEngineSession();
        int current = ++attempt;
        loggedInAt = 0;
        save("connecting", () -> state.status(instanceId, fence, InstanceStatus.CONNECTING));
        try {
            session =
                    engine.open(new SessionRequest(instanceId, apiInstanceName(), phone, fence), new Listener(current));
        } catch (RuntimeException ex) {
            session = null;
            log.warn("Instance {}: engine failed to open a session: {}", apiInstanceName(), ex.toString());
            manager.onDisconnected(
                    this, current, DisconnectReason.CONNECT_FAILED, "the engine could not start a session");
        }
    }

    /** Ends the given attempt's connection if it is still the current one; false if it was already replaced. */
    synchronized boolean endAttempt(int candidate) {
        if (closed || candidate != attempt) {
            return false;
        }
        closeEngineSession();
        attempt++;
        return true;
    }

    /** Closes the connection because the lease was not confirmed in time; reopened once it is. */
    synchronized boolean suspend() {
        if (session == null) {
            return false;
        }
        closeEngineSession();
        attempt++;
        return true;
    }

    /** Closes for good (stop, handover, shutdown); nothing this session reports afterwards is applied. */
    synchronized void close() {
        closed = true;
        closeEngineSession();
    }

    /** Closes for good and stops retrying writes: the lease is gone, nothing may be written under it any more. */
    void abandon() {
        abandoned = true;
        close();
        rowWriter.shutdown();
    }

    /** Unlinks the device; may wait for WhatsApp, so it never runs on the socket manager's threads. */
    void logout() {
        EngineSession current;
        synchronized (this) {
            closed = true;
            current = session;
            session = null;
            loggedIn = false;
        }
        if (current != null) {
            try {
                current.logout();
            } catch (RuntimeException ex) {
                log.warn("Instance {}: logout failed: {}", apiInstanceName(), ex.toString());
            }
        }
    }

    private void closeEngineSession() {
        EngineSession current = session;
        session = null;
        loggedIn = false;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException ex) {
                log.warn("Instance {}: closing the session failed: {}", apiInstanceName(), ex.toString());
            }
        }
    }

    /** Writes what the instance row should say, after every earlier write of this session, retried until stored. */
    void save(String what, Runnable write) {
        run(what, () -> retry(what, write, () -> !abandoned));
    }

    /** Runs a job after every earlier write of this session, on the session's writer thread. */
    void run(String what, Runnable job) {
        try {
            rowWriter.execute(() -> {
                MDC.put("instance", apiInstanceName());
                try {
                    job.run();
                } catch (RuntimeException ex) {
                    log.warn("Instance {}: {} failed: {}", apiInstanceName(), what, ex.toString());
                } finally {
                    MDC.remove("instance");
                }
            });
        } catch (RejectedExecutionException ex) {
            // Abandoned: the lease is gone and the new owner writes the row.
        }
    }

    /**
     * Runs a write until it succeeds, pausing longer after each database failure, as long as {@code wanted} holds.
     * A refused fence ends it at once: the write belongs to a lease that was taken over.
     */
    private void retry(String what, Runnable write, BooleanSupplier wanted) {
        long pause = 100;
        for (int failed = 0; wanted.getAsBoolean(); failed++) {
            try {
                write.run();
                if (failed > 0) {
                    log.info("Instance {}: {} stored after {} failed attempts", apiInstanceName(), what, failed);
                }
                return;
            } catch (LeaseLostException ex) {
                log.info("Instance {}: {} refused, the lease was taken over", apiInstanceName(), what);
                doubtLease();
                return;
            } catch (DataAccessException | TransactionException ex) {
                failedWrites.increment();
                if (failed == 0 || failed % 20 == 0) {
                    log.warn(
                            "Instance {}: storing {} failed (attempt {}), retrying: {}",
                            apiInstanceName(),
                            what,
                            failed + 1,
                            ex.toString());
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = Math.min(MAX_RETRY_PAUSE_MILLIS, pause * 2);
            }
        }
    }

    /** Receives one attempt's events; runs on engine threads. */
    private final class Listener implements SessionListener {

        private final int attempt;

        Listener(int attempt) {
            this.attempt = attempt;
        }

        private boolean current() {
            return !closed && currentAttempt() == attempt;
        }

        /** Session data for the mirror: retried on this (engine) thread until stored, so nothing is lost or reordered. */
        private void mirror(String what, InstanceDataEvent event) {
            if (!current()) {
                return;
            }
            MDC.put("instance", apiInstanceName());
            try {
                retry(what, () -> publisher.publish(event), () -> current() && !abandoned);
            } catch (RuntimeException ex) {
                // Not a database failure: data the mirror cannot take. Retrying would block the session for good.
                failedWrites.increment();
                log.error("Instance {}: the mirror refused {}: {}", apiInstanceName(), what, ex.toString());
            } finally {
                MDC.remove("instance");
            }
        }

        private void save(String what, Runnable write) {
            if (current()) {
                ManagedSession.this.save(what, write);
            }
        }

        @Override
        public void qrCode(String payload, Instant expiresAt) {
            save("QR code", () -> state.qrCode(instanceId, fence, payload, expiresAt));
        }

        @Override
        public void pairingCode(String code) {
            save("pairing code", () -> state.pairingCode(instanceId, fence, code));
        }

        @Override
        public void connecting() {
            save("connecting", () -> state.status(instanceId, fence, InstanceStatus.CONNECTING));
        }

        @Override
        public void loggedIn(Account account) {
            if (!current()) {
                return;
            }
            loggedIn = true;
            loggedInAt = System.nanoTime();
            log.info("Instance {}: logged in as {}", apiInstanceName(), account.phoneJid());
            save("login", () -> state.loggedIn(instanceId, fence, account));
        }

        @Override
        public void disconnected(DisconnectReason reason, String detail) {
            if (current()) {
                loggedIn = false;
                manager.onDisconnected(ManagedSession.this, attempt, reason, detail);
            }
        }

        @Override
        public void contacts(List<ContactRecord> contacts) {
            mirror("contacts", new InstanceDataEvent.ContactsReceived(instanceId, fence, contacts));
        }

        @Override
        public void chats(List<ChatRecord> chats) {
            mirror("chats", new InstanceDataEvent.ChatsReceived(instanceId, fence, chats));
        }

        @Override
        public void identityMappings(List<IdentityMapping> mappings) {
            mirror("identity mappings", new InstanceDataEvent.IdentitiesMapped(instanceId, fence, mappings));
        }

        @Override
        public void groupParticipants(Map<String, List<String>> participantsByGroup) {
            mirror(
                    "group participants",
                    new InstanceDataEvent.GroupParticipants(instanceId, fence, participantsByGroup));
        }

        @Override
        public void syncProgress(int percent, boolean complete) {
            if (!current()) {
                return;
            }
            if (!complete && syncStartedAt == 0) {
                syncStartedAt = System.nanoTime();
            }
            if (complete) {
                mirror("sync completion", new InstanceDataEvent.SyncCompleted(instanceId, fence));
                if (syncStartedAt != 0) {
                    syncDuration.record(System.nanoTime() - syncStartedAt, TimeUnit.NANOSECONDS);
                    syncStartedAt = 0;
                }
            }
            save(
                    "sync state",
                    () -> state.syncState(instanceId, fence, complete ? SyncState.SYNCED : SyncState.SYNCING));
        }
    }
}
