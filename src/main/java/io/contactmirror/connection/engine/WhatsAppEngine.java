package io.contactmirror.connection.engine;

import io.contactmirror.connection.EngineType;

/**
 * The port between the socket manager and a WhatsApp implementation. An engine opens sessions; everything a
 * session learns is reported to its {@link SessionListener} as plain records of ours, never engine types.
 */
public interface WhatsAppEngine {

    /** The {@code engine} value of instances this engine serves. */
    EngineType type();

    /**
     * Opens a session and returns at once; progress (QR code, login, data, disconnects) arrives on the listener,
     * from the engine's own threads. Resumes from stored credentials when the instance was paired before.
     */
    EngineSession open(SessionRequest request, SessionListener listener);

    /**
     * Logs an instance out while no session of it is open: drops its stored credentials, so the next session has to
     * pair again.
     */
    void logoutWithoutSession(long instanceId);

    /** Forgets the instance's stored credentials and data (the instance is being deleted). */
    void forget(long instanceId);
}
