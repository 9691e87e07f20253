package io.contactmirror.connection.cobalt;

import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.engine.EngineSession;
import io.contactmirror.connection.engine.SessionListener;
import io.contactmirror.connection.engine.SessionRequest;
import io.contactmirror.connection.engine.WhatsAppEngine;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.stereotype.Component;

/** The production engine: WhatsApp Web through Cobalt, with session credentials in PostgreSQL. */
@Component
class CobaltEngine implements WhatsAppEngine, AutoCloseable {

    private final PostgresSessionSerializer serializer;
    private final CobaltProperties properties;
    /** Runs every session's liveness check; the checks only read state and hand reports to other threads. */
    private final ScheduledExecutorService watchdogs = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("whatsapp-liveness").daemon().factory());

    CobaltEngine(PostgresSessionSerializer serializer, CobaltProperties properties) {
        this.serializer = serializer;
        this.properties = properties;
    }

    @Override
    public EngineType type() {
        return EngineType.WHATSAPP;
    }

    @Override
    public EngineSession open(SessionRequest request, SessionListener listener) {
        CobaltSession session = new CobaltSession(request, listener, serializer, properties, watchdogs);
        session.start();
        return session;
    }

    /** Without a connection WhatsApp cannot be told; the phone shows the device until WhatsApp expires it. */
    @Override
    public void logoutWithoutSession(long instanceId) {
        serializer.forget(instanceId);
    }

    @Override
    public void forget(long instanceId) {
        serializer.forget(instanceId);
    }

    @Override
    public void close() {
        watchdogs.shutdownNow();
    }
}
