package io.contactmirror.connection;

import io.contactmirror.connection.engine.EngineText;

/**
 * A contact as an engine knows it. Null means "not known from this event" (a sync never blanks what is known);
 * JIDs are normalized strings ({@code digits@s.whatsapp.net}, {@code id@lid}, {@code id@g.us}).
 *
 * @param jid the contact's primary JID: the phone-number JID when known, else its LID, or a group JID
 * @param lid the contact's LID JID when known besides a phone-number JID
 * @param pushName the name the person chose for themselves
 * @param fullName the name in the account's address book
 * @param firstName the first name in the account's address book
 * @param businessName the verified business name
 * @param inAddressBook whether the account saved this contact
 */
public record ContactRecord(
        String jid,
        String lid,
        String pushName,
        String fullName,
        String firstName,
        String businessName,
        Boolean inAddressBook) {

    public ContactRecord {
        pushName = EngineText.clean(pushName);
        fullName = EngineText.clean(fullName);
        firstName = EngineText.clean(firstName);
        businessName = EngineText.clean(businessName);
    }

    public boolean isGroup() {
        return jid.endsWith("@g.us");
    }
}
