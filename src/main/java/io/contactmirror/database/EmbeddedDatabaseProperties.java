package io.contactmirror.database;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.PositiveOrZero;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the embedded PostgreSQL that runs when no {@code spring.datasource.url} is configured.
 *
 * @param dataDirectory where the cluster keeps its files; survives restarts
 * @param ephemeral start from an empty temporary directory and delete it on shutdown (tests)
 * @param port TCP port on loopback, 0 picks a free one
 */
@Validated
@ConfigurationProperties("contactmirror.embedded-database")
public record EmbeddedDatabaseProperties(
        @DefaultValue("./.data/postgres") Path dataDirectory,
        @DefaultValue("false") boolean ephemeral,
        @DefaultValue("0") @PositiveOrZero @Max(65535) int port) {}
