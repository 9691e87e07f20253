package io.contactmirror.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded PostgreSQL that runs when no {@code spring.datasource.url} is configured.
 *
 * @param dataDirectory where the cluster keeps its files; survives restarts
 * @param ephemeral start from an empty temporary directory and delete it on shutdown (tests)
 * @param port TCP port on loopback, 0 picks a free one
 */
@ConfigurationProperties("contactmirror.embedded-database")
public record EmbeddedDatabaseProperties(
        @DefaultValue("./.data/postgres") Path dataDirectory,
        @DefaultValue("false") boolean ephemeral,
        @DefaultValue("0") int port) {}
