package io.contactmirror.contact;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.jspecify.annotations.Nullable;

/** The chat of a contact, keyed like the contact by (instance, JID); written by the mirror, read here. */
@Entity
@Immutable
@Table(name = "chats")
public class Chat {

    @Id
    private long id;

    private long instanceId;

    private String jid;

    private @Nullable String name;

    private @Nullable String lastMessageText;

    private @Nullable Instant lastMessageAt;

    private @Nullable Integer unreadCount;

    protected Chat() {}

    public long id() {
        return id;
    }

    String jid() {
        return jid;
    }

    public @Nullable String name() {
        return name;
    }

    public @Nullable String lastMessageText() {
        return lastMessageText;
    }

    public @Nullable Instant lastMessageAt() {
        return lastMessageAt;
    }

    public @Nullable Integer unreadCount() {
        return unreadCount;
    }
}
