package io.contactmirror.connection.cobalt;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.engine.SessionListener;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.model.action.ContactAction;
import it.auties.whatsapp.model.chat.Chat;
import it.auties.whatsapp.model.contact.Contact;
import it.auties.whatsapp.model.info.MessageIndexInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Turns what Cobalt's listeners hand over into the port's events, for one session's listener. */
final class CobaltEventTranslator {

    private final SessionListener listener;

    CobaltEventTranslator(SessionListener listener) {
        this.listener = listener;
    }

    /** Login: who the account is, then what a resumed session's store already knows. */
    void loggedIn(Store store) {
        CobaltMapping.account(store).ifPresent(listener::loggedIn);
        listener.syncProgress(0, false);
        contacts(store.contacts());
        chats(store.chats());
    }

    void contacts(Collection<Contact> contacts) {
        List<ContactRecord> records = CobaltMapping.contacts(contacts);
        if (!records.isEmpty()) {
            listener.contacts(records);
        }
    }

    void chats(Collection<Chat> chats) {
        List<ChatRecord> records = new ArrayList<>();
        List<IdentityMapping> mappings = new ArrayList<>();
        for (Chat chat : chats) {
            CobaltMapping.chat(chat).ifPresent(records::add);
            CobaltMapping.mapping(chat).ifPresent(mappings::add);
        }
        if (!records.isEmpty()) {
            listener.chats(records);
        }
        if (!mappings.isEmpty()) {
            listener.identityMappings(mappings);
        }
    }

    void addressBook(ContactAction action, MessageIndexInfo index) {
        CobaltMapping.addressBookEntry(action, index).ifPresent(record -> {
            listener.contacts(List.of(record));
            if (record.lid() != null) {
                listener.identityMappings(List.of(new IdentityMapping(record.lid(), record.jid())));
            }
        });
    }

    void syncProgress(int percent) {
        listener.syncProgress(percent, percent >= 100);
    }
}
