package io.contactmirror.connection;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One open session of an engine. Live queries complete exceptionally when the session is not logged in. */
public interface EngineSession {

    /**
     * Whether the session's connection still works. False once the transport is known dead, even if the engine has
     * not reported a disconnect; the socket manager then treats the session as lost and reconnects it.
     */
    boolean isAlive();

    /** Closes the connection and keeps the credentials, so the session can be resumed later (or elsewhere). */
    void close();

    /** Unlinks the device from the account and deletes the credentials. */
    void logout();

    /** Asks WhatsApp for the current profile picture of a user or group JID. */
    CompletableFuture<Optional<ProfilePicture>> queryProfilePicture(String jid, boolean preview);

    /** Tells for each phone-number JID whether it has a WhatsApp account. */
    CompletableFuture<Map<String, Boolean>> checkNumbers(List<String> phoneJids);
}
