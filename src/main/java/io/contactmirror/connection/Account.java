package io.contactmirror.connection;

/** The paired WhatsApp account: its phone-number JID, its LID (may be null) and its own push name. */
public record Account(String phoneJid, String lidJid, String pushName) {

    public Account {
        pushName = EngineText.clean(pushName);
    }
}
