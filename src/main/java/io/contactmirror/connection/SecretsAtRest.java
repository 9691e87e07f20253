package io.contactmirror.connection;

/**
 * The service's encryption of secrets it must read back (AES-256-GCM under the configured session-encryption key,
 * previous keys still decrypt). {@code context} is bound to the ciphertext so a blob cannot be moved to another row.
 */
public interface SecretsAtRest {

    /** Short id of the key {@link #encrypt} uses now; store it beside the ciphertext. */
    String currentKeyId();

    byte[] encrypt(byte[] plaintext, String context);

    byte[] decrypt(byte[] blob, String keyId, String context);
}
