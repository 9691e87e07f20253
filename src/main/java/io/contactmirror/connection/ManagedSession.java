package io.contactmirror.connection;

import io.contactmirror.connection.ConnectionStateRepository.SessionTarget;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The live session of one instance on this replica, under one lease. Each (re)open is an attempt with its own
 * listener; events of an attempt that was replaced or closed are ignored.
 */
final class ManagedSession {

    private static final Logger log = LoggerFactory.getLogger(ManagedSession.class);

    final long instanceId;
    final Fence fence;
    final WhatsAppEngine engine;
    private final SocketManager manager;
    private final ConnectionStateRepository state;
    private final InstanceDataPublisher publisher;
    private final io.micrometer.core.instrument.Timer syncDuration;
    private volatile long syncStartedAt;

    private volatile String apiInstanceName;
    private volatile String pairingPhone;
    private volatile EngineSession session;
    private volatile int attempt;
    private volatile boolean closed;
    private volatile boolean loggedIn;
    volatile int failures;

    ManagedSession(
            SessionTarget target,
            Fence fence,
            WhatsAppEngine engine,
            SocketManager manager,
            ConnectionStateRepository state,
            InstanceDataPublisher publisher,
            io.micrometer.core.instrument.Timer syncDuration) {
        this.instanceId = target.id();
        this.apiInstanceName = target.apiInstanceName();
        this.pairingPhone = target.pairingPhone();
        this.fence = fence;
        this.engine = engine;
        this.manager = manager;
        this.state = state;
        this.publisher = publisher;
        this.syncDuration = syncDuration;
    }

    String pairingPhone() {
        return pairingPhone;
    }

    boolean loggedIn() {
        return loggedIn;
    }

    EngineSession session() {
        return loggedIn ? session : null;
    }

    boolean isCurrent(int candidate) {
        return !closed && candidate == attempt;
    }

    /** Opens (or reopens) the engine session; failures to even start count as a failed connect. */
    void open(String pairingPhone) {
        this.pairingPhone = pairingPhone;
        closeEngineSession();
        int current = ++attempt;
        loggedIn = false;
        state.status(instanceId, fence, InstanceStatus.CONNECTING);
        try {
            session = engine.open(new SessionRequest(instanceId, apiInstanceName, pairingPhone, fence), new Listener(current));
        } catch (RuntimeException ex) {
            log.warn("Instance {}: engine failed to open a session: {}", apiInstanceName, ex.toString());
            manager.onDisconnected(this, current, DisconnectReason.CONNECT_FAILED, ex.getMessage());
        }
    }

    /** Closes for good (stop, handover, shutdown); nothing this session reports afterwards is applied. */
    void close() {
        closed = true;
        closeEngineSession();
    }

    void logout() {
        closed = true;
        EngineSession current = session;
        session = null;
        if (current != null) {
            try {
                current.logout();
            } catch (RuntimeException ex) {
                log.warn("Instance {}: logout failed: {}", apiInstanceName, ex.toString());
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
                log.warn("Instance {}: closing the session failed: {}", apiInstanceName, ex.toString());
            }
        }
    }

    /** Receives one attempt's events; runs on engine threads. */
    private final class Listener implements SessionListener {

        private final int attempt;

        Listener(int attempt) {
            this.attempt = attempt;
        }

        private boolean stale() {
            return !isCurrent(attempt);
        }

        private void guarded(String what, Runnable action) {
            if (stale()) {
                return;
            }
            MDC.put("instance", apiInstanceName);
            try {
                action.run();
            } catch (RuntimeException ex) {
                // One failing write must not take the session (or the engine's thread) down with it.
                log.warn("Instance {}: applying {} failed: {}", apiInstanceName, what, ex.toString());
            } finally {
                MDC.remove("instance");
            }
        }

        @Override
        public void qrCode(String payload, Instant expiresAt) {
            guarded("QR code", () -> state.qrCode(instanceId, fence, payload, expiresAt));
        }

        @Override
        public void pairingCode(String code) {
            guarded("pairing code", () -> state.pairingCode(instanceId, fence, code));
        }

        @Override
        public void connecting() {
            guarded("connecting", () -> state.status(instanceId, fence, InstanceStatus.CONNECTING));
        }

        @Override
        public void loggedIn(Account account) {
            guarded("login", () -> {
                state.loggedIn(instanceId, fence, account);
                loggedIn = true;
                failures = 0;
                log.info("Instance {}: logged in as {}", apiInstanceName, account.phoneJid());
            });
        }

        @Override
        public void disconnected(DisconnectReason reason, String detail) {
            if (!stale()) {
                loggedIn = false;
                manager.onDisconnected(ManagedSession.this, attempt, reason, detail);
            }
        }

        @Override
        public void contacts(List<ContactRecord> contacts) {
            guarded("contacts", () -> publisher.publish(new InstanceDataEvent.ContactsReceived(instanceId, fence, contacts)));
        }

        @Override
        public void chats(List<ChatRecord> chats) {
            guarded("chats", () -> publisher.publish(new InstanceDataEvent.ChatsReceived(instanceId, fence, chats)));
        }

        @Override
        public void identityMappings(List<IdentityMapping> mappings) {
            guarded("identity mappings", () -> publisher.publish(new InstanceDataEvent.IdentitiesMapped(instanceId, fence, mappings)));
        }

        @Override
        public void groupParticipants(String groupJid, List<String> participantJids) {
            guarded("group participants", () -> publisher.publish(
                    new InstanceDataEvent.GroupParticipants(instanceId, fence, groupJid, participantJids)));
        }

        @Override
        public void syncProgress(int percent, boolean complete) {
            guarded("sync progress", () -> {
                if (!complete && syncStartedAt == 0) {
                    syncStartedAt = System.nanoTime();
                }
                if (complete) {
                    publisher.publish(new InstanceDataEvent.SyncCompleted(instanceId, fence));
                    if (syncStartedAt != 0) {
                        syncDuration.record(System.nanoTime() - syncStartedAt, java.util.concurrent.TimeUnit.NANOSECONDS);
                        syncStartedAt = 0;
                    }
                }
                state.syncState(instanceId, fence, complete ? SyncState.SYNCED : SyncState.SYNCING);
            });
        }
    }
}
