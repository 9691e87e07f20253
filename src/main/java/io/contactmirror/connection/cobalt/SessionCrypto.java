package io.contactmirror.connection.cobalt;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for session credentials at rest. Every blob gets a fresh 96-bit nonce and is bound (as associated
 * data) to its session and column, so blobs cannot be swapped between rows. The current key encrypts; previous keys
 * still decrypt, which is how keys are rotated.
 */
final class SessionCrypto implements io.contactmirror.connection.SecretsAtRest {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey current;
    private final String currentId;
    private final Map<String, SecretKey> byId = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    SessionCrypto(byte[] currentKey, List<byte[]> previousKeys) {
        this.current = key(currentKey);
        this.currentId = idOf(currentKey);
        byId.put(currentId, current);
        previousKeys.forEach(previous -> byId.putIfAbsent(idOf(previous), key(previous)));
    }

    @Override
    public String currentKeyId() {
        return currentId;
    }

    boolean knows(String keyId) {
        return byId.containsKey(keyId);
    }

    @Override
    public byte[] encrypt(byte[] plaintext, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + ciphertext.length)
                    .put(nonce)
                    .put(ciphertext)
                    .array();
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Encrypting session data failed", ex);
        }
    }

    @Override
    public byte[] decrypt(byte[] blob, String keyId, String context) {
        SecretKey key = byId.get(keyId);
        if (key == null) {
            throw new SessionKeyException("Session data was encrypted with a key that is not configured (key id "
                    + keyId + "); add it to contactmirror.sessions.previous-encryption-keys");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, blob, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(blob, NONCE_BYTES, blob.length - NONCE_BYTES);
        } catch (GeneralSecurityException ex) {
            throw new SessionKeyException("Session data could not be decrypted (wrong key or tampered data)", ex);
        }
    }

    private static SecretKey key(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("A session encryption key must be 32 bytes (base64 of 32 random bytes)");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    static String idOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The stored data cannot be read with the configured keys; the session has to be paired again. */
    static final class SessionKeyException extends RuntimeException {
        SessionKeyException(String message) {
            super(message);
        }

        SessionKeyException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
