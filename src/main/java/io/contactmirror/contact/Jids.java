package io.contactmirror.contact;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * WhatsApp identifiers as the mirror keys them: {@code digits@s.whatsapp.net} for phone numbers, {@code id@lid}
 * for LIDs, {@code id@g.us} for groups; legacy {@code @c.us} is a phone-number JID, and device suffixes
 * ({@code :12}) are dropped.
 */
public final class Jids {

    public static final String PHONE_SERVER = "s.whatsapp.net";
    public static final String LID_SERVER = "lid";
    public static final String GROUP_SERVER = "g.us";

    private static final Pattern PHONE_INPUT = Pattern.compile("^\\+?[0-9][0-9 ().\\-]{5,24}$");
    private static final Pattern JID = Pattern.compile("^([0-9A-Za-z.\\-_]+?)(?:[:.][0-9]+)?@([a-z.]+)$");

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

    public static Parsed parse(String input) {
        if (input == null) {
            return new Parsed(Kind.INVALID, null);
        }
        String value = input.trim();
        if (PHONE_INPUT.matcher(value).matches()) {
            String digits = digits(value);
            return digits.length() >= 7 && digits.length() <= 15
                    ? new Parsed(Kind.PHONE, digits + "@" + PHONE_SERVER)
                    : new Parsed(Kind.INVALID, null);
        }
        var matcher = JID.matcher(value.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return new Parsed(Kind.INVALID, null);
        }
        String user = matcher.group(1);
        return switch (matcher.group(2)) {
            case PHONE_SERVER, "c.us" -> user.chars().allMatch(Character::isDigit) && user.length() >= 7 && user.length() <= 15
                    ? new Parsed(Kind.PN, user + "@" + PHONE_SERVER)
                    : new Parsed(Kind.INVALID, null);
            case LID_SERVER -> user.chars().allMatch(Character::isDigit)
                    ? new Parsed(Kind.LID, user + "@" + LID_SERVER)
                    : new Parsed(Kind.INVALID, null);
            case GROUP_SERVER -> new Parsed(Kind.GROUP, value.toLowerCase(Locale.ROOT).replaceAll(":[0-9]+@", "@"));
            default -> new Parsed(Kind.INVALID, null);
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
        return isPhoneJid(jid) ? Optional.of(jid.substring(0, jid.indexOf('@'))) : Optional.empty();
    }

    /**
     * One canonical form per phone number. Brazilian mobiles gained a ninth digit (a leading 9) in 2012–2016;
     * WhatsApp and old address books still carry many without it, so {@code 55 DD 8888-7777} and
     * {@code 55 DD 9 8888-7777} are the same person: the key always has the ninth digit.
     */
    public static String phoneKey(String digits) {
        if (digits.startsWith("55") && digits.length() == 12) {
            char first = digits.charAt(4);
            if (first >= '6' && first <= '9') {
                return digits.substring(0, 4) + "9" + digits.substring(4);
            }
        }
        return digits;
    }
}
