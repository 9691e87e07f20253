package io.contactmirror.contact;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Folds text for accent- and case-insensitive search: decomposed, combining marks removed, lower case in every
 * script. Done in Java rather than with PostgreSQL's unaccent/lower so results don't depend on the database's
 * locale or extensions.
 */
final class SearchText {

    private SearchText() {}

    static String fold(String text) {
        if (text == null) {
            return "";
        }
        if (ascii(text)) {
            // Decomposition and mark removal change nothing in ASCII; the sync folds millions of names.
            return text.toLowerCase(Locale.ROOT);
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder stripped = new StringBuilder(decomposed.length());
        decomposed.codePoints().filter(codePoint -> !mark(codePoint)).forEach(stripped::appendCodePoint);
        return stripped.toString()
                .toLowerCase(Locale.ROOT)
                .replace('ø', 'o')
                .replace('đ', 'd')
                .replace('ł', 'l')
                .replace("ß", "ss");
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Unicode category M (Mn, Mc, Me): what {@code \\p{M}} matches. */
    private static boolean mark(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /**
     * The folded non-blank parts, without those another part already contains: a name is usually repeated as push,
     * full, first and chat name, and every copy lengthens the row, its covering list index entry and the text each
     * search tests, while matching nothing that its container does not match.
     */
    static String of(String... parts) {
        List<String> folded = Stream.of(parts)
                .filter(Objects::nonNull)
                .filter(part -> !part.isBlank())
                .map(SearchText::fold)
                .toList();
        List<String> kept = new ArrayList<>(folded.size());
        for (int i = 0; i < folded.size(); i++) {
            if (!containedElsewhere(folded, i)) {
                kept.add(folded.get(i));
            }
        }
        return String.join(" ", kept);
    }

    /** Whether another part contains this one; of equal parts, only the first counts as not contained. */
    private static boolean containedElsewhere(List<String> parts, int index) {
        String part = parts.get(index);
        for (int other = 0; other < parts.size(); other++) {
            String candidate = parts.get(other);
            boolean equal = candidate.equals(part);
            if (other != index && (equal ? other < index : candidate.contains(part))) {
                return true;
            }
        }
        return false;
    }

    /** Escapes LIKE wildcards so {@code %} and {@code _} in a query match themselves. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
