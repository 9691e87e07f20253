package io.contactmirror.connection;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The live queries a logged-in session answers; they complete exceptionally when the session cannot answer. */
public interface LiveSession {

    /** Asks WhatsApp for the current profile picture of a user or group JID. */
    CompletableFuture<Optional<ProfilePicture>> queryProfilePicture(String jid, boolean preview);

    /** Tells for each phone-number JID whether it has a WhatsApp account. */
    CompletableFuture<Map<String, Boolean>> checkNumbers(List<String> phoneJids);
}
