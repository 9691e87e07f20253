package io.contactmirror.contact;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Folds text for accent- and case-insensitive search: decomposed, combining marks removed, lower case in every
 * script. Done in Java rather than with PostgreSQL's unaccent/lower so results don't depend on the database's
 * locale or extensions.
 */
final class SearchText {

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

    private SearchText() {}

    static String fold(String text) {
        if (text == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        String stripped = COMBINING_MARKS.matcher(decomposed).replaceAll("");
        return stripped.toLowerCase(Locale.ROOT)
                .replace('ø', 'o')
                .replace('đ', 'd')
                .replace('ł', 'l')
                .replace("ß", "ss");
    }

    static String of(String... parts) {
        return Stream.of(parts).filter(Objects::nonNull).filter(part -> !part.isBlank()).map(SearchText::fold)
                .collect(Collectors.joining(" "));
    }

    /** Escapes LIKE wildcards so {@code %} and {@code _} in a query match themselves. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
