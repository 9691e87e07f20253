package io.contactmirror.connection.cobalt;

import io.contactmirror.connection.DisconnectReason;
import io.contactmirror.connection.ProfilePicture;
import io.contactmirror.connection.engine.EngineSession;
import io.contactmirror.connection.engine.EngineUnavailableException;
import io.contactmirror.connection.engine.SessionListener;
import io.contactmirror.connection.engine.SessionRequest;
import it.auties.whatsapp.api.ClientType;
import it.auties.whatsapp.api.ErrorHandler;
import it.auties.whatsapp.api.PairingCodeHandler;
import it.auties.whatsapp.api.QrHandler;
import it.auties.whatsapp.api.WebVerificationHandler;
import it.auties.whatsapp.api.Whatsapp;
import it.auties.whatsapp.controller.Keys;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.controller.StoreKeysPair;
import it.auties.whatsapp.model.action.ContactAction;
import it.auties.whatsapp.model.jid.Jid;
import it.auties.whatsapp.model.jid.JidProvider;
import it.auties.whatsapp.model.mobile.PhoneNumber;
import it.auties.whatsapp.model.node.Node;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WhatsApp Web session of an instance on Cobalt. Cobalt calls back on its own virtual threads; everything is
 * handed to one event thread per session, in order, so the listener is never called concurrently and a slow database
 * never stalls Cobalt's socket. The session never reconnects by itself: it reports, and the socket manager decides.
 *
 * <p>Works around three Cobalt 0.0.10 faults: every attempt builds its own client from the state stored in
 * PostgreSQL (Cobalt's builders may hand back an older client of the same session from a static registry); a
 * watchdog reports a socket that died without Cobalt noticing (it calls no listener when the server closes the socket
 * or TCP dies); and a socket still connecting or handshaking when the session stops is hunted down and closed once it
 * connects (Cobalt's {@code disconnect()} ignores sockets that are not yet connected).
 */
final class CobaltSession implements EngineSession {

    private static final Logger log = LoggerFactory.getLogger(CobaltSession.class);
    private static final long QR_VALIDITY_SECONDS = 20;
    private static final String DEVICE_NAME = "Contact Mirror";
    /**
     * A proxy nothing listens on, given to a stopped client so that Cobalt's internal reconnects (on a stream conflict
     * or a failed ping it reconnects the same client by itself) cannot reach WhatsApp.
     */
    private static final URI NOWHERE = URI.create("http://127.0.0.1:9");

    private final SessionRequest request;
    private final SessionListener listener;
    private final PostgresSessionSerializer sessions;
    private final CobaltProperties properties;
    private static final long CONFLICT_GRACE_MILLIS = 250;

    private final ScheduledExecutorService scheduler;
    private final OrderedEvents events;
    private final CobaltEventTranslator translator;
    private final BusinessNameLookup businessNames;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile FencedSessionSerializer sessionStore;
    private volatile Whatsapp whatsapp;
    private volatile ScheduledFuture<?> watchdog;
    private volatile boolean closing;
    private volatile boolean loggedIn;
    /** The socket finished its handshake at least once. */
    private volatile boolean socketUp;
    /** {@link System#nanoTime()} of the last inbound node (or of the socket coming up). */
    private volatile long lastInbound;
    /** Since when a socket that was up is seen down; 0 while up. */
    private volatile long downSince;
    /** When the session ended or was closed; the watchdog then only closes late sockets, for a while. */
    private volatile long stoppedAt;

    CobaltSession(
            SessionRequest request,
            SessionListener listener,
            PostgresSessionSerializer sessions,
            CobaltProperties properties,
            ScheduledExecutorService scheduler) {
        this.request = request;
        this.listener = listener;
        this.sessions = sessions;
        this.properties = properties;
        this.scheduler = scheduler;
        this.translator = new CobaltEventTranslator(listener);
        this.events = new OrderedEvents("whatsapp-" + request.instanceId() + "-events", properties.eventQueueSize());
        this.businessNames = new BusinessNameLookup(
                this::businessName,
                (jid, name) -> deliver(() -> listener.contacts(List.of(
                        new io.contactmirror.connection.ContactRecord(jid, null, null, null, null, name, null)))),
                properties.businessLookupCapacity(),
                properties.businessLookupInterval(),
                properties.queryTimeout());
    }

    void start() {
        long interval = properties.livenessCheckInterval().toMillis();
        watchdog = scheduler.scheduleWithFixedDelay(this::checkLiveness, interval, interval, TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name("whatsapp-" + request.instanceId() + "-connect").start(this::connect);
        businessNames.start("whatsapp-" + request.instanceId() + "-business-names");
    }

    private void connect() {
        try {
            FencedSessionSerializer store = sessions.open(
                    request.instanceId(),
                    request.fence(),
                    () -> end(
                            DisconnectReason.LOGGED_OUT,
                            "WhatsApp ended the session (logged out on the phone or banned)"));
            sessionStore = store;
            if (stopped()) {
                store.close();
                return;
            }
            Whatsapp client = newClient(store);
            whatsapp = client;
            listenTo(client);
            boolean paired = client.keys().registered();
            if (paired) {
                deliver(listener::connecting);
            }
            long timeout = (paired ? properties.connectTimeout() : properties.pairingTimeout()).toMillis();
            lastInbound = System.nanoTime();
            if (stopped()) {
                return;
            }
            client.connect().orTimeout(timeout, TimeUnit.MILLISECONDS).whenComplete((connected, failure) -> {
                if (failure != null) {
                    end(DisconnectReason.CONNECT_FAILED, describe(failure));
                } else if (stopped()) {
                    // Logged in after the session stopped: that socket must not stay.
                    disconnect(client);
                }
            });
        } catch (RuntimeException ex) {
            end(DisconnectReason.CONNECT_FAILED, describe(ex));
        }
    }

    /**
     * A new client on the state just loaded from PostgreSQL, through Whatsapp's protected constructor: the builders
     * would return the registry's client of an earlier attempt when one is left, with its stale keys and store.
     */
    private Whatsapp newClient(FencedSessionSerializer store) {
        StoreKeysPair pair = store.deserializeStoreKeysPair(store.session(), null, null, ClientType.WEB)
                .orElseGet(() -> store.newStoreKeysPair(store.session(), null, null, ClientType.WEB));
        Store state = pair.store();
        Keys keys = pair.keys();
        state.setName(DEVICE_NAME);
        // Always set, so a proxy stored by an earlier client (see NOWHERE) never carries over.
        state.setProxy(properties.proxy());
        WebVerificationHandler verification = keys.registered() ? null : verification(state);
        return new Whatsapp(state, keys, this::onError, verification) {};
    }

    private WebVerificationHandler verification(Store state) {
        if (request.pairingPhone() != null) {
            long phone = Long.parseLong(request.pairingPhone());
            state.setPhoneNumber(PhoneNumber.of(phone)
                    .orElseThrow(() -> new IllegalArgumentException("not a phone number: " + request.pairingPhone())));
            return (PairingCodeHandler) code -> deliver(() -> listener.pairingCode(code));
        }
        return QrHandler.toPlainString(
                qr -> deliver(() -> listener.qrCode(qr, Instant.now().plusSeconds(QR_VALIDITY_SECONDS))));
    }

    private void listenTo(Whatsapp client) {
        client.addNodeReceivedListener(node -> onNode(client, node));
        client.addLoggedInListener(() -> {
            if (stopped()) {
                disconnect(client);
                return;
            }
            loggedIn = true;
            deliver(() -> translator.loggedIn(client.store()));
        });
        client.addContactsListener(contacts -> {
            deliver(() -> translator.contacts(contacts));
            askForBusinessNames(contacts);
        });
        client.addNewContactListener(contact -> {
            deliver(() -> translator.contacts(List.of(contact)));
            askForBusinessNames(List.of(contact));
        });
        client.addChatsListener(chats -> deliver(() -> translator.chats(chats)));
        client.addActionListener((action, index) -> {
            if (action instanceof ContactAction contact) {
                deliver(() -> translator.addressBook(contact, index));
            }
        });
        client.addHistorySyncProgressListener((percent, recent) -> deliver(() -> translator.syncProgress(percent)));
        // Cobalt 0.0.10 reports every disconnect as DISCONNECTED (when it reports one at all); logout and bans arrive
        // through deleteSession instead.
        client.addDisconnectedListener(reason -> {
            loggedIn = false;
            // Cobalt may call this before the node listener has seen the "conflict" stream error that caused the
            // drop; a moment's grace lets REPLACED be reported first (the first reason wins).
            try {
                scheduler.schedule(
                        () -> end(DisconnectReason.CONNECTION_LOST, "connection to WhatsApp dropped"),
                        CONFLICT_GRACE_MILLIS,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ex) {
                end(DisconnectReason.CONNECTION_LOST, "connection to WhatsApp dropped");
            }
        });
    }

    /** Every inbound node proves the socket alive; a stopped session's late socket is closed at its first node. */
    void onNode(Whatsapp client, Node node) {
        lastInbound = System.nanoTime();
        socketUp = true;
        if (stopped()) {
            disconnect(client);
            return;
        }
        // WhatsApp's "conflict" stream error (type "replaced"): another connection of this device logged in. Cobalt
        // would reconnect by itself and kick that one off in turn; the socket manager checks its lease instead.
        if ("stream:error".equals(node.description()) && node.hasNode("conflict")) {
            String type = node.findChild("conflict")
                    .flatMap(conflict -> conflict.attributes().getOptionalString("type"))
                    .orElse("conflict");
            end(
                    DisconnectReason.REPLACED,
                    "WhatsApp replaced this connection with another one of the device (stream error conflict/" + type
                            + ")");
        }
    }

    /**
     * The watchdog: Cobalt 0.0.10 notices neither a socket the server closed nor a dead TCP connection, so the session
     * checks the socket's state and how long it has been silent. After the session stopped, it closes any socket of
     * its client that still connects, for as long as a connect could take.
     */
    void checkLiveness() {
        try {
            Whatsapp client = whatsapp;
            long now = System.nanoTime();
            if (stopped()) {
                if (client != null && client.isConnected()) {
                    log.info(
                            "Instance {}: closing a WhatsApp socket that connected after the session stopped",
                            request.apiInstanceName());
                    disconnect(client);
                }
                if (now - stoppedAt > ghostWindow().toNanos()) {
                    cancelWatchdog();
                    if (client != null) {
                        // A socket that opened after the stop registered its hook then.
                        CobaltShutdownHook.release(client);
                    }
                }
                return;
            }
            if (client == null) {
                return;
            }
            if (client.isConnected()) {
                if (!socketUp) {
                    socketUp = true;
                    lastInbound = now;
                }
                downSince = 0;
                long silent = now - lastInbound;
                if (silent > properties.silenceTimeout().toNanos()) {
                    lost("no data from WhatsApp for " + Duration.ofNanos(silent).toSeconds() + " s");
                }
            } else if (socketUp) {
                if (downSince == 0) {
                    downSince = now;
                } else if (now - downSince >= properties.socketDownGrace().toNanos()) {
                    lost("the connection to WhatsApp closed");
                }
            }
        } catch (RuntimeException ex) {
            log.warn("Instance {}: the liveness check failed: {}", request.apiInstanceName(), ex.toString());
        }
    }

    /** Reported off the watchdog's thread: handing the event over may wait for a full event queue. */
    private void lost(String detail) {
        Thread.ofVirtual()
                .name("whatsapp-" + request.instanceId() + "-lost")
                .start(() -> end(DisconnectReason.CONNECTION_LOST, detail));
    }

    private Duration ghostWindow() {
        return properties.connectTimeout().plus(properties.silenceTimeout());
    }

    private boolean stopped() {
        return closing || ended.get();
    }

    private void askForBusinessNames(java.util.Collection<it.auties.whatsapp.model.contact.Contact> contacts) {
        contacts.forEach(contact -> CobaltMapping.normalize(contact.jid()).ifPresent(businessNames::offer));
    }

    private CompletableFuture<Optional<String>> businessName(String jid) {
        Whatsapp client = whatsapp;
        if (client == null || !loggedIn) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return client.queryBusinessCertificate(Jid.of(jid))
                .thenApply(certificate ->
                        certificate.flatMap(found -> found.details().name()));
    }

    /** Cobalt's default error handler prints stack traces; this one logs a line and disconnects on fatal errors. */
    private ErrorHandler.Result onError(Whatsapp client, ErrorHandler.Location location, Throwable error) {
        if (stopped()) {
            log.debug(
                    "Instance {}: WhatsApp error at {} after the session stopped: {}",
                    request.apiInstanceName(),
                    location,
                    error.toString());
            return ErrorHandler.Result.DISCONNECT;
        }
        log.warn("Instance {}: WhatsApp error at {}: {}", request.apiInstanceName(), location, error.toString());
        return switch (location) {
            case LOGIN, STREAM, CRYPTOGRAPHY, RECONNECT -> ErrorHandler.Result.DISCONNECT;
            default -> ErrorHandler.Result.DISCARD;
        };
    }

    /** Reports the end of the session once, then stops Cobalt so it does not reconnect on its own. */
    private void end(DisconnectReason reason, String detail) {
        if (closing || !ended.compareAndSet(false, true)) {
            return;
        }
        loggedIn = false;
        log.info("Instance {}: WhatsApp session ended: {} ({})", request.apiInstanceName(), reason, detail);
        stop();
        deliver(() -> listener.disconnected(reason, detail));
    }

    private void deliver(Runnable event) {
        events.submit(event);
    }

    /**
     * Stops the attempt: its stored state is written no more (waiting snapshots are dropped), its client can no
     * longer reach WhatsApp on its own, and its socket is closed if it is connected; one that is still connecting is
     * closed by the watchdog or the listeners once it connects.
     */
    private void stop() {
        stoppedAt = System.nanoTime();
        FencedSessionSerializer store = sessionStore;
        if (store != null) {
            store.close();
        }
        Whatsapp client = whatsapp;
        if (client != null) {
            client.store().setProxy(NOWHERE);
            disconnect(client);
            CobaltShutdownHook.release(client);
        }
    }

    private void disconnect(Whatsapp client) {
        try {
            client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(ex -> null);
        } catch (RuntimeException ex) {
            log.debug("Instance {}: disconnecting failed: {}", request.apiInstanceName(), ex.toString());
        }
    }

    private void cancelWatchdog() {
        ScheduledFuture<?> current = watchdog;
        if (current != null) {
            current.cancel(false);
        }
    }

    /** The client of the current attempt; for tests. */
    Whatsapp client() {
        return whatsapp;
    }

    /** Whether the socket finished its handshake at least once; for tests. */
    boolean connectedOnce() {
        return socketUp;
    }

    @Override
    public boolean isAlive() {
        if (stopped()) {
            return false;
        }
        Whatsapp client = whatsapp;
        if (client == null || !socketUp) {
            // Still connecting: bounded by the connect (or pairing) timeout.
            return true;
        }
        return client.isConnected()
                && System.nanoTime() - lastInbound
                        <= properties.silenceTimeout().toNanos();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        businessNames.stop();
        loggedIn = false;
        stop();
        events.close();
    }

    @Override
    public void logout() {
        Whatsapp client = whatsapp;
        boolean wasLoggedIn = loggedIn;
        // Nothing is reported from here on: Cobalt's deleteSession after the logout is ours.
        closing = true;
        if (client != null && wasLoggedIn) {
            try {
                client.logout().get(properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ex) {
                log.info(
                        "Instance {}: logout did not reach WhatsApp ({}); forgetting the credentials anyway",
                        request.apiInstanceName(),
                        ex.toString());
            }
        }
        FencedSessionSerializer store = sessionStore;
        if (store != null) {
            store.forget();
        } else {
            sessions.open(request.instanceId(), request.fence(), () -> {}).forget();
        }
        close();
    }

    @Override
    public CompletableFuture<Optional<ProfilePicture>> queryProfilePicture(String jid, boolean preview) {
        Whatsapp client = whatsapp;
        if (client == null || !loggedIn) {
            return CompletableFuture.failedFuture(
                    new EngineUnavailableException("the WhatsApp session is not logged in"));
        }
        // Cobalt 0.0.10 has one picture query; WhatsApp answers with the full image, used for previews too.
        return client.queryPicture(Jid.of(jid))
                .orTimeout(properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(
                        uri -> uri.map(found -> new ProfilePicture(jid, found.toString(), pictureId(found), preview)));
    }

    @Override
    public CompletableFuture<Map<String, Boolean>> checkNumbers(List<String> phoneJids) {
        Whatsapp client = whatsapp;
        if (client == null || !loggedIn) {
            return CompletableFuture.failedFuture(
                    new EngineUnavailableException("the WhatsApp session is not logged in"));
        }
        JidProvider[] jids = phoneJids.stream().map(Jid::of).toArray(JidProvider[]::new);
        return client.hasWhatsapp(jids)
                .orTimeout(properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(answers -> {
                    Map<String, Boolean> normalized = new HashMap<>();
                    answers.forEach(
                            (found, has) -> CobaltMapping.normalize(found).ifPresent(key -> normalized.put(key, has)));
                    return normalized;
                });
    }

    /** WhatsApp's picture URLs end in the picture's id ({@code …/<id>_n.jpg?…}); it changes with the picture. */
    static String pictureId(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.indexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static String describe(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof java.util.concurrent.TimeoutException
                ? "no answer from WhatsApp in time"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
