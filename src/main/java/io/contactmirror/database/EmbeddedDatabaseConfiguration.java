package io.contactmirror.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.FileSystemUtils;

/**
 * Starts an embedded PostgreSQL when the operator configured no database, so the service runs with one command.
 * With {@code spring.datasource.url} set, none of this exists and Boot's own DataSource is used.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
public class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);
    private static final Duration STOP_ORPHAN_TIMEOUT = Duration.ofSeconds(30);

    /** Marker the demo bootstrap uses to tell the embedded default from a configured database. */
    public record EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, boolean ephemeral)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            postgres.close();
            if (ephemeral) {
                FileSystemUtils.deleteRecursively(dataDirectory);
            }
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(EmbeddedDatabaseProperties properties) throws IOException {
        Path dataDirectory = properties.ephemeral()
                ? Files.createTempDirectory("contact-mirror-pg")
                : properties.dataDirectory().toAbsolutePath().normalize();
        Files.createDirectories(dataDirectory);
        if (!properties.ephemeral()) {
            DataDirectoryGuard.prepare(dataDirectory, STOP_ORPHAN_TIMEOUT);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // zonky's own hook would stop PostgreSQL before Spring closes the pool; Spring closes it instead.
                    .setRegisterShutdownHook(false)
                    .setPort(properties.port())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    // zonky starts the server with -F (fsync off); a later -c wins. Persistent data must survive a
                    // power cut, a throw-away test cluster need not.
                    .setServerConfig("fsync", properties.ephemeral() ? "off" : "on")
                    .start();
        } catch (IOException | RuntimeException ex) {
            throw new EmbeddedDatabaseUnavailableException(
                    "The embedded PostgreSQL did not start on " + dataDirectory + " (" + rootMessage(ex)
                            + "); see the lines logged above by PostgreSQL",
                    ex);
        }
        log.info(
                "Database: embedded PostgreSQL on 127.0.0.1:{} with data in {}{}",
                postgres.getPort(),
                dataDirectory,
                properties.ephemeral() ? " (ephemeral)" : "");
        return new EmbeddedDatabase(postgres, dataDirectory, properties.ephemeral());
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage())
                .lines()
                .findFirst()
                .orElse(root.getClass().getSimpleName());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedDatabase database) {
        HikariDataSource dataSource = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .driverClassName("org.postgresql.Driver")
                .url(database.postgres().getJdbcUrl("postgres", "postgres"))
                .username("postgres")
                .password("")
                .build();
        dataSource.setPoolName("embedded");
        return dataSource;
    }
}
