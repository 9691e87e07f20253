package io.contactmirror.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Hashing of token secrets; a secret is a UUID v4 and only its SHA-256 is ever stored or compared. */
public final class TokenSecrets {

    private TokenSecrets() {}

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JRE", ex);
        }
    }

    /** Hash of the canonical (lower-case) form, so a secret matches whatever case the client sends. */
    public static byte[] hash(UUID secret) {
        return sha256(secret.toString());
    }
}
