package io.contactmirror.contact;

import io.contactmirror.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The opaque {@code cursor} of the contact list: where the previous page ended in list order (name, then id), the
 * query it belongs to (instance, search, groups, updatedSince) and the total reported on the first page, so a
 * continuation costs one index seek whatever its depth and counts nothing again.
 *
 * @param query fingerprint of the query; a cursor used with another query is refused
 */
record ContactCursor(String query, Position after, long total, boolean totalExact) {

    /** A place in list order. */
    record Position(String sortName, long id) {}

    private static final String VERSION = "c1";
    private static final char SEPARATOR = '\u001f';

    /** The fingerprint of a query; the instance id makes a cursor useless on another instance. */
    static String fingerprint(
            long instanceId, @Nullable String likePattern, boolean includeGroups, @Nullable String updatedSince) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((instanceId + "|" + likePattern + "|" + includeGroups + "|" + updatedSince)
                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

    String encode() {
        String raw = String.join(
                String.valueOf(SEPARATOR),
                VERSION,
                query,
                Long.toString(after.id()),
                Long.toString(total),
                totalExact ? "1" : "0",
                after.sortName());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor for this query: 400 when it is not one of ours or belongs to another query. */
    static ContactCursor decode(String cursor, String expectedQuery) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                    .split(String.valueOf(SEPARATOR), 6);
        } catch (IllegalArgumentException ex) {
            throw malformed();
        }
        if (parts.length != 6 || !parts[0].equals(VERSION) || !(parts[4].equals("0") || parts[4].equals("1"))) {
            throw malformed();
        }
        ContactCursor decoded;
        try {
            decoded = new ContactCursor(
                    parts[1],
                    new Position(parts[5], Long.parseLong(parts[2])),
                    Long.parseLong(parts[3]),
                    parts[4].equals("1"));
        } catch (NumberFormatException ex) {
            throw malformed();
        }
        if (!decoded.query().equals(expectedQuery)) {
            throw ApiException.invalid(
                    "cursor",
                    "belongs to another query: use it with the same instanceName, q, includeGroups and updatedSince as the page that returned it");
        }
        return decoded;
    }

    private static ApiException malformed() {
        return ApiException.invalid(
                "cursor", "is not a cursor this API returned (pass nextCursor exactly as received)");
    }
}
