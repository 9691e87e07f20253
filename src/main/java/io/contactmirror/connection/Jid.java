package io.contactmirror.connection;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WhatsApp identifier, parsed once where it enters (an engine's event, a client's request) and normalized:
 * {@code digits@s.whatsapp.net} for a phone number (legacy {@code @c.us} is the same), {@code id@lid} for a LID,
 * {@code id@g.us} for a group; device and agent parts ({@code :12}) are dropped.
 *
 * <p>It lives in {@code connection} because both sides use it: the engines map their own JID types onto it, and
 * {@code contact} (which already depends on {@code connection}) keys the mirror and reads the API's input with it.
 *
 * @param type which of the three kinds of identifier
 * @param user the part before {@code @}: the phone digits, the LID, or the group id (lower case)
 */
public record Jid(Type type, String user) {

    /** The kinds of identifier the mirror keeps, each with its server. */
    public enum Type {
        PHONE_NUMBER("s.whatsapp.net"),
        LID("lid"),
        GROUP("g.us");

        private final String server;

        Type(String server) {
            this.server = server;
        }

        public String server() {
            return server;
        }
    }

    // E.164 allows at most 15 digits; WhatsApp has no phone-number account with fewer than 7.
    private static final int MIN_PHONE_DIGITS = 7;
    private static final int MAX_PHONE_DIGITS = 15;
    private static final Pattern PHONE_INPUT = Pattern.compile("^\\+?[0-9][0-9 ().\\-]{5,24}$");
    private static final Pattern JID = Pattern.compile("^([0-9A-Za-z.\\-_]+?)(?:[:.][0-9]+)?@([a-z.]+)$");
    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();

    public Jid {
        if (type == null || user == null || user.isEmpty()) {
            throw new IllegalArgumentException("a JID needs a type and a user part");
        }
        if (type != Type.GROUP && !allDigits(user)) {
            throw new IllegalArgumentException("a " + type + " JID is digits only: " + user);
        }
        if (type == Type.PHONE_NUMBER && (user.length() < MIN_PHONE_DIGITS || user.length() > MAX_PHONE_DIGITS)) {
            throw new IllegalArgumentException("a phone number has 7 to 15 digits: " + user);
        }
    }

    /**
     * A JID as WhatsApp writes it ({@code user[:device]@server}, any case); empty for servers the mirror does not
     * keep (broadcasts, newsletters, calls) and for malformed users.
     */
    public static Optional<Jid> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = JID.matcher(value);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        if (matcher.group(2).equals(Type.GROUP.server())) {
            // A group id may itself contain dots and dashes; only a device part is dropped.
            return of(value.substring(0, value.lastIndexOf('@')).replaceAll(":[0-9]+$", ""), matcher.group(2));
        }
        return of(matcher.group(1), matcher.group(2));
    }

    /** A JID from its two parts as an engine reports them; empty as for {@link #parse}. */
    public static Optional<Jid> of(String user, String server) {
        if (user == null || server == null) {
            return Optional.empty();
        }
        String lower = user.toLowerCase(Locale.ROOT);
        return switch (server.toLowerCase(Locale.ROOT)) {
            case "s.whatsapp.net", "c.us" ->
                isPhoneDigits(lower) ? Optional.of(new Jid(Type.PHONE_NUMBER, lower)) : Optional.empty();
            case "lid" ->
                allDigits(lower) && !lower.isEmpty() ? Optional.of(new Jid(Type.LID, lower)) : Optional.empty();
            case "g.us" -> lower.isEmpty() ? Optional.empty() : Optional.of(new Jid(Type.GROUP, lower));
            default -> Optional.empty();
        };
    }

    /**
     * A phone number as a person types it ({@code +55 (11) 98888-7777}): 7 to 15 digits after removing spaces,
     * dots, dashes and parentheses, whose leading digits are a country calling code (libphonenumber's metadata).
     * Empty for anything else. The length is not checked per country: WhatsApp accepts numbers the metadata does
     * not know yet.
     */
    public static Optional<Jid> phoneNumber(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String value = input.trim();
        if (!PHONE_INPUT.matcher(value).matches()) {
            return Optional.empty();
        }
        String digits = value.replaceAll("[^0-9]", "");
        return isPhoneDigits(digits) && hasCountryCode(digits)
                ? Optional.of(new Jid(Type.PHONE_NUMBER, digits))
                : Optional.empty();
    }

    /** Whether the text has the shape of a typed phone number (not whether the number is valid). */
    public static boolean looksLikePhoneNumber(String input) {
        return input != null && PHONE_INPUT.matcher(input.trim()).matches();
    }

    private static boolean hasCountryCode(String digits) {
        try {
            PHONE_NUMBERS.parse("+" + digits, "ZZ");
            return true;
        } catch (NumberParseException ex) {
            // Only an unknown calling code refuses the number; too short or too long for its country is accepted.
            return ex.getErrorType() != NumberParseException.ErrorType.INVALID_COUNTRY_CODE;
        }
    }

    public boolean isPhoneNumber() {
        return type == Type.PHONE_NUMBER;
    }

    public boolean isLid() {
        return type == Type.LID;
    }

    public boolean isGroup() {
        return type == Type.GROUP;
    }

    /** The phone digits of a phone-number JID; empty for LIDs and groups (a LID is never a phone number). */
    public Optional<String> phone() {
        return isPhoneNumber() ? Optional.of(user) : Optional.empty();
    }

    /** The canonical form of this JID's phone number (see {@link #phoneKey(String)}); empty for LIDs and groups. */
    public Optional<String> phoneKey() {
        return phone().map(Jid::phoneKey);
    }

    /**
     * One canonical form per phone number, so the forms WhatsApp and old address books still carry for one person
     * meet on one key. The table is ours, not libphonenumber's, so that a library upgrade never changes a stored
     * key:
     *
     * <ul>
     *   <li>Brazil: mobiles gained a ninth digit (a leading 9) in 2012–2016; {@code 55 DD 8888-7777} and
     *       {@code 55 DD 9 8888-7777} are one person, and the key has the ninth digit. Landlines (first subscriber
     *       digit 2–5) have none and stay as they are.
     *   <li>Mexico: mobiles were dialled from abroad as {@code 52 1} + 10 digits until 2019 (WhatsApp still has
     *       such JIDs); numbers now have no {@code 1}. The key is {@code 52} + 10 digits.
     *   <li>Argentina: mobiles are {@code 54 9} + 10 digits from abroad (WhatsApp's form), the same 10 digits
     *       without the {@code 9} otherwise; mobile and fixed numbers share one numbering space, so both forms are
     *       one person. The key has the {@code 9}.
     * </ul>
     */
    public static String phoneKey(String digits) {
        if (digits.startsWith("55") && digits.length() == 12) {
            char first = digits.charAt(4);
            if (first >= '6' && first <= '9') {
                return digits.substring(0, 4) + "9" + digits.substring(4);
            }
        }
        if (digits.startsWith("521") && digits.length() == 13) {
            return "52" + digits.substring(3);
        }
        if (digits.startsWith("54") && digits.length() == 12 && digits.charAt(2) != '9') {
            return "549" + digits.substring(2);
        }
        return digits;
    }

    private static boolean isPhoneDigits(String user) {
        return allDigits(user) && user.length() >= MIN_PHONE_DIGITS && user.length() <= MAX_PHONE_DIGITS;
    }

    private static boolean allDigits(String user) {
        return user.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** {@code user@server}, the form the mirror stores and the API shows. */
    @Override
    public String toString() {
        return user + "@" + type.server();
    }
}
