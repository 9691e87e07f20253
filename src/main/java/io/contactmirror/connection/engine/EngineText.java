package io.contactmirror.connection.engine;

import org.jspecify.annotations.Nullable;

/**
 * Text from an engine as PostgreSQL can store it. WhatsApp names and messages may carry NUL characters or broken
 * UTF-16 (an emoji cut in half); PostgreSQL refuses both, and a refused batch would fail on every re-sync. Such
 * text is cleaned here, at the port, never dropped: NUL is removed and an unpaired surrogate becomes U+FFFD.
 */
public final class EngineText {

    private EngineText() {}

    public static @Nullable String clean(@Nullable String text) {
        if (text == null || isClean(text)) {
            return text;
        }
        StringBuilder cleaned = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                cleaned.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cleaned.append('\uFFFD');
            } else {
                cleaned.append(c);
            }
        }
        return cleaned.toString();
    }

    private static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c)
                        && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return false;
            }
        }
        return true;
    }
}
