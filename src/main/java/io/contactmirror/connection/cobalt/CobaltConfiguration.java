package io.contactmirror.connection.cobalt;

import io.contactmirror.database.EmbeddedDatabaseConfiguration.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The session store and its encryption key. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SessionStoreProperties.class, CobaltProperties.class})
class CobaltConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CobaltConfiguration.class);

    @Bean
    SessionCrypto sessionCrypto(SessionStoreProperties properties, ObjectProvider<EmbeddedDatabase> embedded)
            throws IOException {
        var previous = properties.previousEncryptionKeys().stream()
                .filter(key -> !key.isBlank())
                .map(CobaltConfiguration::decode)
                .toList();
        if (properties.encryptionKey() != null && !properties.encryptionKey().isBlank()) {
            return new SessionCrypto(decode(properties.encryptionKey()), previous);
        }
        EmbeddedDatabase database = embedded.getIfAvailable();
        if (database == null) {
            throw new IllegalStateException(
                    "CONTACTMIRROR_SESSIONS_ENCRYPTION_KEY is not set. With an external database, WhatsApp "
                            + "session credentials must be encrypted with a key you keep: set it to `openssl rand -base64 32`.");
        }
        return new SessionCrypto(embeddedKey(database), previous);
    }

    @Bean
    PostgresSessionSerializer sessionSerializer(
            JdbcClient jdbc, SessionCrypto crypto, SessionStoreProperties properties) {
        return new PostgresSessionSerializer(jdbc, crypto, properties.writeRetryDelay());
    }

    /** The embedded default keeps a generated key beside its data, so sessions survive restarts there too. */
    private static byte[] embeddedKey(EmbeddedDatabase database) throws IOException {
        byte[] key = new byte[32];
        if (database.ephemeral()) {
            new SecureRandom().nextBytes(key);
            return key;
        }
        Path file = database.dataDirectory().resolveSibling("session-key");
        if (Files.exists(file)) {
            return decode(Files.readString(file).strip());
        }
        new SecureRandom().nextBytes(key);
        Files.writeString(file, Base64.getEncoder().encodeToString(key));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ex) {
            // Not a POSIX file system; the file keeps its default permissions.
        }
        log.info("Generated the session encryption key for the embedded database in {}", file);
        return key;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException("A session encryption key must be base64 (of 32 random bytes)", ex);
        }
    }
}
