package io.contactmirror.connection.engine;

import io.contactmirror.connection.LiveSession;

/** One open session of an engine. Live queries complete exceptionally when the session is not logged in. */
public interface EngineSession extends LiveSession {

    /**
     * Whether the session's connection still works. False once the transport is known dead, even if the engine has
     * not reported a disconnect; the socket manager then treats the session as lost and reconnects it.
     */
    boolean isAlive();

    /** Closes the connection and keeps the credentials, so the session can be resumed later (or elsewhere). */
    void close();

    /** Unlinks the device from the account and deletes the credentials. */
    void logout();
}
