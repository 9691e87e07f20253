package io.contactmirror.contact;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.jspecify.annotations.Nullable;

/**
 * The chat of a contact, keyed like the contact by (instance, JID); written by the mirror, read here. Fields are
 * package-private for the reason given on {@link Contact}.
 */
@Entity
@Immutable
@Table(name = "chats")
public class Chat {

    @Id
    long id;

    long instanceId;

    String jid;

    @Nullable
    String name;

    @Nullable
    String lastMessageText;

    @Nullable
    Instant lastMessageAt;

    @Nullable
    Integer unreadCount;

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
