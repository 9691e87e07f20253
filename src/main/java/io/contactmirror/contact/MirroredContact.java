package io.contactmirror.contact;

/**
 * The WhatsApp-side fields of one contact row, merged from what is stored and what a session reported; derives the
 * display name, sort key and search text that listing and search rely on.
 */
record MirroredContact(
        String jid,
        String lid,
        String pushName,
        String fullName,
        String firstName,
        String businessName,
        String chatName,
        Boolean inAddressBook) {

    String phone() {
        return Jids.phoneOf(jid).orElse(null);
    }

    String phoneKey() {
        String phone = phone();
        return phone == null ? null : Jids.phoneKey(phone);
    }

    boolean group() {
        return Jids.isGroup(jid);
    }

    /**
     * Later knowledge wins; an empty or missing value never erases a known one. The LID is the exception: a person's
     * LID never changes, so a different one means another person (a recycled number) and the known one stays.
     */
    MirroredContact mergedWith(MirroredContact newer) {
        return new MirroredContact(
                jid,
                lid != null ? lid : newer.lid,
                pick(newer.pushName, pushName),
                pick(newer.fullName, fullName),
                pick(newer.firstName, firstName),
                pick(newer.businessName, businessName),
                pick(newer.chatName, chatName),
                newer.inAddressBook != null ? newer.inAddressBook : inAddressBook);
    }

    MirroredContact withChatName(String name) {
        return new MirroredContact(jid, lid, pushName, fullName, firstName, businessName, name, inAddressBook);
    }

    MirroredContact withJid(String newJid) {
        return new MirroredContact(newJid, lid, pushName, fullName, firstName, businessName, chatName, inAddressBook);
    }

    /** The best-known name: what the account saved, then the verified business, then what the person chose. */
    String displayName() {
        return group()
                ? firstNonBlank(chatName, fullName, pushName, businessName)
                : firstNonBlank(fullName, businessName, pushName, firstName, chatName);
    }

    /** Named contacts sort by name; unnamed ones after them, by number. */
    String sortName() {
        String name = displayName();
        String key = name != null ? SearchText.fold(name) : "~" + (phone() != null ? phone() : jid);
        return key.length() > 300 ? key.substring(0, 300) : key;
    }

    /**
     * Names, number and the JIDs without their server: "@s.whatsapp.net" would add the same 15 trigrams to every row
     * of the search index (a fifth of its write cost) and let no search tell two contacts apart.
     */
    String searchText() {
        return SearchText.of(
                pushName,
                fullName,
                firstName,
                businessName,
                chatName,
                Jids.user(jid),
                lid == null ? null : Jids.user(lid));
    }

    static String pick(String newer, String older) {
        return newer != null && !newer.isBlank() ? newer.strip() : older;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
