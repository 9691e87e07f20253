package io.contactmirror.connection;

import io.contactmirror.connection.engine.EngineText;
import java.time.Instant;

/**
 * A chat as an engine knows it; null fields are unknown in this event.
 *
 * @param jid the chat's JID (user or group)
 * @param name the chat's display name (group subject, or the contact's name)
 * @param lastMessageText text of the newest message, when it has text
 * @param lastMessageAt when the newest message was sent
 * @param unreadCount unread messages
 */
public record ChatRecord(String jid, String name, String lastMessageText, Instant lastMessageAt, Integer unreadCount) {

    public ChatRecord {
        name = EngineText.clean(name);
        lastMessageText = EngineText.clean(lastMessageText);
    }
}
