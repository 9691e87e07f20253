package io.contactmirror.feed;

import io.contactmirror.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in one instance's change log, as clients hold it: opaque text that names the instance and the last
 * sequence read. The catch-up API's {@code nextCursor} and the live stream's event ids are the same cursors, so a
 * client can switch between the two freely.
 */
record Cursor(long instanceId, long seq) {

    private static final String PREFIX = "cm1:";
    private static final Pattern DECODED = Pattern.compile("cm1:(\\d{1,18}):(\\d{1,18})");
    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + instanceId + ":" + seq).getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads a cursor the server handed out for this instance; anything else is a 400 naming {@code field}. */
    static Cursor decode(String text, long instanceId, String field) {
        Cursor cursor = parse(text, field);
        if (cursor.instanceId() != instanceId) {
            throw ApiException.invalid(
                    field, "belongs to another instance; use a cursor this instance's feed returned");
        }
        return cursor;
    }

    private static Cursor parse(String text, String field) {
        String trimmed = text.strip();
        if (TEXT.matcher(trimmed).matches()) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(trimmed), StandardCharsets.US_ASCII);
                Matcher matcher = DECODED.matcher(decoded);
                if (matcher.matches()) {
                    return new Cursor(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
                }
            } catch (IllegalArgumentException ex) {
                // Not base64: the same answer as any other text that is no cursor.
            }
        }
        throw ApiException.invalid(
                field, "is not a cursor: pass nextCursor (or an event id) exactly as received, or 'now'");
    }
}
