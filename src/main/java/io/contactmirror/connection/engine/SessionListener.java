package io.contactmirror.connection.engine;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.DisconnectReason;
import io.contactmirror.connection.IdentityMapping;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a session reports. Engines call it from their own threads and must never call it concurrently for
 * the same session (one session, one sequence of events).
 */
public interface SessionListener {

    /** A QR code to scan with the phone; replaced by the next one at {@code expiresAt}. */
    void qrCode(String payload, Instant expiresAt);

    /** An 8-character code to type on the phone (pairing by phone number). */
    void pairingCode(String code);

    /** The transport is being established (after pairing, or when resuming a paired session). */
    void connecting();

    /** The account is logged in; {@code account} is who it is. */
    void loggedIn(Account account);

    /** The session ended; the reason tells the socket manager whether to reconnect. */
    void disconnected(DisconnectReason reason, String detail);

    /** Contacts learnt or changed, from the address book, push names or business profiles. */
    void contacts(List<ContactRecord> contacts);

    /** Chats learnt or changed. */
    void chats(List<ChatRecord> chats);

    /** Pairs of LID and phone-number JIDs that belong to one person. */
    void identityMappings(List<IdentityMapping> mappings);

    /**
     * The members of some groups (group JID → user JIDs, phone-number or LID), each replacing what was known of its
     * group; a sync reports many groups at once, stored in one transaction.
     */
    default void groupParticipants(Map<String, List<String>> participantsByGroup) {}

    /** Progress of the initial (history) sync; {@code complete} once everything known has been delivered. */
    void syncProgress(int percent, boolean complete);
}
