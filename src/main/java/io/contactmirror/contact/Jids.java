package io.contactmirror.contact;

import io.contactmirror.connection.Jid;
import java.util.Optional;

/**
 * WhatsApp identifiers as the mirror keys them, as strings: {@code digits@s.whatsapp.net} for phone numbers,
 * {@code id@lid} for LIDs, {@code id@g.us} for groups. Parsing and phone keys are {@link Jid}'s; this keeps the
 * string-level helpers the mirror and the API use on stored values.
 */
public final class Jids {

    public static final String PHONE_SERVER = Jid.Type.PHONE_NUMBER.server();
    public static final String LID_SERVER = Jid.Type.LID.server();
    public static final String GROUP_SERVER = Jid.Type.GROUP.server();

    private static final Parsed INVALID = new Parsed(Kind.INVALID, null);

    private Jids() {}

    /** The kind of identifier a client sent. */
    public enum Kind {
        PHONE,
        PN,
        LID,
        GROUP,
        INVALID
    }

    /** An identifier understood: its kind and its normalized JID (null when invalid). */
    public record Parsed(Kind kind, String jid) {}

    /** A typed phone number ({@link Kind#PHONE}) or a JID; {@link Kind#INVALID} for anything else. */
    public static Parsed parse(String input) {
        if (input == null) {
            return INVALID;
        }
        if (Jid.looksLikePhoneNumber(input)) {
            return Jid.phoneNumber(input)
                    .map(jid -> new Parsed(Kind.PHONE, jid.toString()))
                    .orElse(INVALID);
        }
        return Jid.parse(input)
                .map(jid -> new Parsed(kindOf(jid), jid.toString()))
                .orElse(INVALID);
    }

    private static Kind kindOf(Jid jid) {
        return switch (jid.type()) {
            case PHONE_NUMBER -> Kind.PN;
            case LID -> Kind.LID;
            case GROUP -> Kind.GROUP;
        };
    }

    public static String digits(String value) {
        return value.replaceAll("[^0-9]", "");
    }

    public static boolean isPhoneJid(String jid) {
        return jid != null && jid.endsWith("@" + PHONE_SERVER);
    }

    public static boolean isLid(String jid) {
        return jid != null && jid.endsWith("@" + LID_SERVER);
    }

    public static boolean isGroup(String jid) {
        return jid != null && jid.endsWith("@" + GROUP_SERVER);
    }

    /** The phone digits of a phone-number JID; empty for LIDs and groups (a LID is never a phone number). */
    public static Optional<String> phoneOf(String jid) {
        return isPhoneJid(jid) ? Optional.of(user(jid)) : Optional.empty();
    }

    /** What precedes the server: the number of a phone-number JID or LID, the id of a group. */
    public static String user(String jid) {
        int at = jid.indexOf('@');
        return at < 0 ? jid : jid.substring(0, at);
    }

    /** One canonical form per phone number: see {@link Jid#phoneKey(String)} (Brazil, Mexico, Argentina). */
    public static String phoneKey(String digits) {
        return Jid.phoneKey(digits);
    }
}
