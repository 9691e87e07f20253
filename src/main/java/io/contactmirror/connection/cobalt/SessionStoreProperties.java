package io.contactmirror.connection.cobalt;

import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Encryption of WhatsApp session credentials at rest, and their writer.
 *
 * @param encryptionKey base64 of 32 random bytes ({@code openssl rand -base64 32}); env
 *     {@code CONTACTMIRROR_SESSIONS_ENCRYPTION_KEY}. Unset on the embedded database: generated once and kept next to
 *     its data. Unset with an external database: the service refuses to start.
 * @param previousEncryptionKeys keys used before a rotation; data they encrypted stays readable and is re-encrypted
 *     with the current key when next saved
 * @param writeRetryDelay pause before a session snapshot whose write failed on a database error is written again
 *     (unless a newer snapshot replaced it meanwhile)
 */
@Validated
@ConfigurationProperties("contactmirror.sessions")
record SessionStoreProperties(
        @Nullable String encryptionKey,
        @DefaultValue List<String> previousEncryptionKeys,
        @DefaultValue("PT1S") @DurationMin(millis = 1) Duration writeRetryDelay) {}
