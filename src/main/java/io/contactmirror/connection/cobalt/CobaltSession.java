package io.contactmirror.connection.cobalt;

import io.contactmirror.connection.DisconnectReason;
import io.contactmirror.connection.EngineSession;
import io.contactmirror.connection.EngineUnavailableException;
import io.contactmirror.connection.ProfilePicture;
import io.contactmirror.connection.SessionListener;
import io.contactmirror.connection.SessionRequest;
import it.auties.whatsapp.api.ErrorHandler;
import it.auties.whatsapp.api.QrHandler;
import it.auties.whatsapp.api.WebOptionsBuilder;
import it.auties.whatsapp.api.Whatsapp;
import it.auties.whatsapp.model.action.ContactAction;
import it.auties.whatsapp.model.jid.Jid;
import it.auties.whatsapp.model.jid.JidProvider;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WhatsApp Web session of an instance on Cobalt. Cobalt calls back on its own virtual threads; everything is
 * handed to one event thread per session, in order, so the listener is never called concurrently and a slow database
 * never stalls Cobalt's socket. The session never reconnects by itself: it reports, and the socket manager decides.
 */
final class CobaltSession implements EngineSession {

    private static final Logger log = LoggerFactory.getLogger(CobaltSession.class);
    private static final long QR_VALIDITY_SECONDS = 20;

    private final SessionRequest request;
    private final SessionListener listener;
    private final PostgresSessionSerializer serializer;
    private final CobaltProperties properties;
    private final ThreadPoolExecutor events;
    private final CobaltEventTranslator translator;
    private final BusinessNameLookup businessNames;
    private volatile Whatsapp whatsapp;
    private volatile UUID sessionId;
    private volatile boolean closing;
    private volatile boolean ended;
    private volatile boolean loggedIn;

    CobaltSession(SessionRequest request, SessionListener listener, PostgresSessionSerializer serializer, CobaltProperties properties) {
        this.request = request;
        this.listener = listener;
        this.serializer = serializer;
        this.properties = properties;
        this.translator = new CobaltEventTranslator(listener);
        this.businessNames = new BusinessNameLookup(
                this::businessName,
                (jid, name) -> deliver(() -> listener.contacts(List.of(new io.contactmirror.connection.ContactRecord(jid, null, null, null, null, name, null)))),
                properties.businessLookupCapacity(),
                properties.businessLookupInterval(),
                properties.queryTimeout());
        this.events = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.eventQueueSize()),
                Thread.ofVirtual().name("whatsapp-" + request.instanceId() + "-events").factory(),
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    void start() {
        Thread.ofVirtual().name("whatsapp-" + request.instanceId() + "-connect").start(this::connect);
        businessNames.start("whatsapp-" + request.instanceId() + "-business-names");
    }

    private void connect() {
        try {
            UUID session = serializer.sessionOf(request.instanceId());
            sessionId = session;
            serializer.onDeleted(session, deleted -> end(DisconnectReason.LOGGED_OUT, "WhatsApp ended the session (logged out on the phone or banned)"));
            boolean paired = serializer.hasCredentials(session);
            WebOptionsBuilder options = Whatsapp.webBuilder()
                    .serializer(serializer)
                    .newConnection(session)
                    .name("Contact Mirror")
                    .errorHandler(this::onError);
            Whatsapp client = paired ? options.registered().orElseGet(() -> unregistered(options)) : unregistered(options);
            whatsapp = client;
            listenTo(client);
            if (paired) {
                deliver(listener::connecting);
            }
            long timeout = (paired ? properties.connectTimeout() : properties.pairingTimeout()).toMillis();
            client.connect().orTimeout(timeout, TimeUnit.MILLISECONDS).whenComplete((connected, failure) -> {
                if (failure != null) {
                    end(DisconnectReason.CONNECT_FAILED, describe(failure));
                }
            });
        } catch (RuntimeException ex) {
            end(DisconnectReason.CONNECT_FAILED, describe(ex));
        }
    }

    private Whatsapp unregistered(WebOptionsBuilder options) {
        if (request.pairingPhone() != null) {
            return options.unregistered(Long.parseLong(request.pairingPhone()), code -> deliver(() -> listener.pairingCode(code)));
        }
        return options.unregistered(QrHandler.toPlainString(
                qr -> deliver(() -> listener.qrCode(qr, Instant.now().plusSeconds(QR_VALIDITY_SECONDS)))));
    }

    private void listenTo(Whatsapp client) {
        client.addLoggedInListener(() -> {
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
        // Cobalt 0.0.10 reports every disconnect as DISCONNECTED; logout and bans arrive through deleteSession instead.
        client.addDisconnectedListener(reason -> {
            loggedIn = false;
            end(DisconnectReason.CONNECTION_LOST, "connection to WhatsApp dropped");
        });
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
                .thenApply(certificate -> certificate.flatMap(found -> found.details().name()));
    }

    /** Cobalt's default error handler prints stack traces; this one logs a line and disconnects on fatal errors. */
    private ErrorHandler.Result onError(Whatsapp client, ErrorHandler.Location location, Throwable error) {
        log.warn("Instance {}: WhatsApp error at {}: {}", request.apiInstanceName(), location, error.toString());
        return switch (location) {
            case LOGIN, STREAM, CRYPTOGRAPHY, RECONNECT -> ErrorHandler.Result.DISCONNECT;
            default -> ErrorHandler.Result.DISCARD;
        };
    }

    /** Reports the end of the session once, then stops Cobalt so it does not reconnect on its own. */
    private void end(DisconnectReason reason, String detail) {
        if (closing || ended) {
            return;
        }
        ended = true;
        loggedIn = false;
        deliver(() -> listener.disconnected(reason, detail));
        stopClient();
    }

    private void deliver(Runnable event) {
        try {
            events.execute(() -> {
                try {
                    event.run();
                } catch (RuntimeException ex) {
                    log.warn("Instance {}: handling a WhatsApp event failed: {}", request.apiInstanceName(), ex.toString());
                }
            });
        } catch (RejectedExecutionException ex) {
            // The session is closed; late events are dropped on purpose.
        }
    }

    private void stopClient() {
        Whatsapp client = whatsapp;
        if (client != null) {
            try {
                client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(ex -> null);
            } catch (RuntimeException ex) {
                log.debug("Instance {}: disconnecting failed: {}", request.apiInstanceName(), ex.toString());
            }
        }
    }

    @Override
    public boolean isAlive() {
        Whatsapp client = whatsapp;
        return !ended && !closing && (!loggedIn || (client != null && client.isConnected()));
    }

    @Override
    public void close() {
        closing = true;
        businessNames.stop();
        loggedIn = false;
        stopClient();
        if (sessionId != null) {
            serializer.forgetListener(sessionId);
        }
        events.shutdown();
    }

    @Override
    public void logout() {
        closing = true;
        Whatsapp client = whatsapp;
        if (client != null && loggedIn) {
            try {
                client.logout().get(properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ex) {
                log.info("Instance {}: logout did not reach WhatsApp ({}); forgetting the credentials anyway",
                        request.apiInstanceName(), ex.toString());
            }
        }
        loggedIn = false;
        serializer.forget(request.instanceId());
        close();
    }

    @Override
    public CompletableFuture<Optional<ProfilePicture>> queryProfilePicture(String jid, boolean preview) {
        Whatsapp client = whatsapp;
        if (client == null || !loggedIn) {
            return CompletableFuture.failedFuture(new EngineUnavailableException("the WhatsApp session is not logged in"));
        }
        // Cobalt 0.0.10 has one picture query; WhatsApp answers with the full image, used for previews too.
        return client.queryPicture(Jid.of(jid))
                .orTimeout(properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(uri -> uri.map(found -> new ProfilePicture(jid, found.toString(), pictureId(found), preview)));
    }

    @Override
    public CompletableFuture<Map<String, Boolean>> checkNumbers(List<String> phoneJids) {
        Whatsapp client = whatsapp;
        if (client == null || !loggedIn) {
            return CompletableFuture.failedFuture(new EngineUnavailableException("the WhatsApp session is not logged in"));
        }
        JidProvider[] jids = phoneJids.stream().map(Jid::of).toArray(JidProvider[]::new);
        return client.hasWhatsapp(jids)
                .orTimeout(properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(answers -> {
                    Map<String, Boolean> normalized = new HashMap<>();
                    answers.forEach((found, has) -> CobaltMapping.normalize(found).ifPresent(key -> normalized.put(key, has)));
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
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof java.util.concurrent.TimeoutException
                ? "no answer from WhatsApp in time"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
