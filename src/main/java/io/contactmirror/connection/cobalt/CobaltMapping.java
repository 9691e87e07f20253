package io.contactmirror.connection.cobalt;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.engine.Account;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.model.action.ContactAction;
import it.auties.whatsapp.model.chat.Chat;
import it.auties.whatsapp.model.contact.Contact;
import it.auties.whatsapp.model.info.ChatMessageInfo;
import it.auties.whatsapp.model.info.MessageIndexInfo;
import it.auties.whatsapp.model.jid.Jid;
import it.auties.whatsapp.model.message.model.Message;
import it.auties.whatsapp.model.message.standard.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cobalt's model onto the port's records. JIDs leave this class as normalized strings only: a JID Cobalt parsed
 * from text gets an UNKNOWN server type whose hash differs from an equal JID built in code (Cobalt 0.0.10), so
 * nothing here relies on {@code Jid.equals}/{@code hashCode} or on Cobalt's own maps keyed by JID.
 */
final class CobaltMapping {

    private CobaltMapping() {}

    /**
     * {@code digits@s.whatsapp.net}, {@code id@lid} or {@code id@g.us} as the shared JID type normalizes them (legacy
     * {@code c.us} becomes a phone-number JID; device and agent parts are dropped); anything else (broadcasts,
     * newsletters, calls, malformed users) is empty.
     */
    static Optional<String> normalize(Jid jid) {
        if (jid == null || jid.user() == null || jid.server() == null) {
            return Optional.empty();
        }
        // Ours, not Cobalt's Jid (imported above): the one place both names meet.
        return io.contactmirror.connection.Jid.of(jid.user(), jid.server().address())
                .map(Object::toString);
    }

    static boolean isLid(String jid) {
        return jid.endsWith("@lid");
    }

    /** Push name from {@code chosenName}, address book from {@code fullName}/{@code shortName}. */
    static Optional<ContactRecord> contact(Contact contact) {
        return normalize(contact.jid())
                .map(jid -> new ContactRecord(
                        jid,
                        null,
                        contact.chosenName().orElse(null),
                        contact.fullName().orElse(null),
                        contact.shortName().orElse(null),
                        null,
                        contact.fullName().isPresent() ? Boolean.TRUE : null));
    }

    static List<ContactRecord> contacts(java.util.Collection<Contact> contacts) {
        List<ContactRecord> records = new ArrayList<>(contacts.size());
        contacts.forEach(contact -> contact(contact).ifPresent(records::add));
        return records;
    }

    /** Name, unread count and newest text message of a chat. */
    static Optional<ChatRecord> chat(Chat chat) {
        return normalize(chat.jid()).map(jid -> {
            Optional<ChatMessageInfo> newest = chat.newestMessage();
            return new ChatRecord(
                    jid,
                    chat.hasName() ? chat.name() : null,
                    newest.flatMap(CobaltMapping::text).orElse(null),
                    newest.flatMap(ChatMessageInfo::timestamp)
                            .map(java.time.ZonedDateTime::toInstant)
                            .orElse(null),
                    chat.unreadMessagesCount());
        });
    }

    /** The LID↔phone pair a chat knows, whichever of the two its JID is. */
    static Optional<IdentityMapping> mapping(Chat chat) {
        Optional<String> own = normalize(chat.jid());
        Optional<String> lid =
                chat.lidJid().flatMap(CobaltMapping::normalize).or(() -> own.filter(CobaltMapping::isLid));
        Optional<String> phone = chat.phoneJid()
                .flatMap(CobaltMapping::normalize)
                .or(() -> own.filter(jid -> jid.endsWith("@s.whatsapp.net")));
        return lid.filter(CobaltMapping::isLid)
                .flatMap(l -> phone.filter(p -> p.endsWith("@s.whatsapp.net")).map(p -> new IdentityMapping(l, p)));
    }

    /** An address-book change: the saved names of {@code index.chatJid()}, and its LID when WhatsApp tells it. */
    static Optional<ContactRecord> addressBookEntry(ContactAction action, MessageIndexInfo index) {
        return index.chatJid()
                .flatMap(CobaltMapping::normalize)
                .map(jid -> new ContactRecord(
                        jid,
                        action.lid()
                                .flatMap(CobaltMapping::normalize)
                                .filter(CobaltMapping::isLid)
                                .orElse(null),
                        null,
                        action.fullName().orElse(null),
                        action.firstName().orElse(null),
                        null,
                        Boolean.TRUE));
    }

    /** The account itself, from the store (its own phone-number JID, LID and push name). */
    static Optional<Account> account(Store store) {
        return store.jid()
                .flatMap(CobaltMapping::normalize)
                .map(phone -> new Account(
                        phone, store.lid().flatMap(CobaltMapping::normalize).orElse(null), store.name()));
    }

    private static Optional<String> text(ChatMessageInfo info) {
        Message content = info.message().content();
        return content instanceof TextMessage text ? Optional.ofNullable(text.text()) : Optional.empty();
    }
}
