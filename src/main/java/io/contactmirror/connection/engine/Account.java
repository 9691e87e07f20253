package io.contactmirror.connection.engine;

import org.jspecify.annotations.Nullable;

/** The paired WhatsApp account: its phone-number JID, its LID (may be null) and its own push name. */
public record Account(
        String phoneJid, @Nullable String lidJid, @Nullable String pushName) {

    public Account {
        pushName = EngineText.clean(pushName);
    }
}
