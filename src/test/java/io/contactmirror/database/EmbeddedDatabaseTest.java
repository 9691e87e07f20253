package io.contactmirror.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.ContactMirrorApplication;
import io.contactmirror.tenant.TenantService;
import io.contactmirror.tenant.TokenService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDirectory;

    private ConfigurableApplicationContext start(String... extra) {
        String[] args = Stream.concat(
                        Stream.of(
                                "--server.port=0",
                                "--contactmirror.embedded-database.ephemeral=false",
                                "--contactmirror.embedded-database.data-directory=" + dataDirectory),
                        Stream.of(extra))
                .toArray(String[]::new);
        return new SpringApplicationBuilder(ContactMirrorApplication.class)
                .profiles("test")
                .run(args);
    }

    @Test
    void migratesAnEmptyDatabaseToTheLatestVersion() throws IOException {
        try (var context = start()) {
            long scripts;
            try (var files = Files.list(Path.of("db/migration"))) {
                scripts = files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql"))
                        .count();
            }
            var applied = context.getBean(Flyway.class).info().applied();
            assertThat(applied)
                    .hasSize((int) scripts)
                    .allMatch(migration -> migration.getState().isApplied());
            assertThat(context.getBean(JdbcClient.class)
                            .sql("select count(*) from pg_available_extensions where name = 'pg_trgm'")
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
        }
    }

    @Test
    void keepsDataAcrossARestart() {
        try (var context = start()) {
            context.getBean(TenantService.class).onboard("persisted", "Persisted", "p@example.com", null);
        }
        try (var context = start()) {
            assertThat(context.getBean(TenantService.class).findBySlug("persisted"))
                    .isPresent();
        }
    }

    @Test
    void createsExactlyOneDemoTenantWithASyncedSandboxPhoneAcrossRestarts() {
        for (int start = 0; start < 2; start++) {
            try (var context = start("--contactmirror.demo.enabled=true")) {
                JdbcClient jdbc = context.getBean(JdbcClient.class);
                assertThat(jdbc.sql("select count(*) from tenants where slug = 'demo'")
                                .query(Long.class)
                                .single())
                        .isEqualTo(1);
                assertThat(jdbc.sql("select count(*) from instances where instance_name = 'demo'")
                                .query(Long.class)
                                .single())
                        .isEqualTo(1);
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(60))
                        .until(() -> jdbc.sql(
                                                "select count(*) from instances i join contact_counts n on n.instance_id = i.id"
                                                        + " where instance_name = 'demo' and status = 'CONNECTED'"
                                                        + " and sync_state = 'SYNCED' and contacts_count = 500 and groups_count = 6")
                                        .query(Long.class)
                                        .single()
                                == 1);
            }
        }
    }

    @Test
    void demoIsOffUnlessEnabledWhenTheDatabaseIsExternal() {
        // The test profile disables it explicitly; on the embedded default it is on.
        try (var context = start("--contactmirror.demo.enabled=")) {
            assertThat(context.getBean(JdbcClient.class)
                            .sql("select count(*) from tenants where slug = 'demo'")
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
        }
    }

    @Test
    void aStartWithDemoNewTokenPrintsAWorkingNewTokenOfTheExistingDemoTenant(CapturedOutput output) {
        try (var context = start("--contactmirror.demo.enabled=true")) {
            assertThat(output.getOut()).contains("Demo tenant created. Its token is shown only this once");
        }
        String first = printedTokens(output.getOut()).getLast();
        try (var context = start("--contactmirror.demo.enabled=true")) {
            assertThat(output.getOut()).contains("start once with CONTACTMIRROR_DEMO_NEW_TOKEN=true");
            assertThat(printedTokens(output.getOut())).hasSize(1);
        }
        try (var context = start("--contactmirror.demo.enabled=true", "--contactmirror.demo.new-token=true")) {
            String fresh = printedTokens(output.getOut()).getLast();
            assertThat(fresh).isNotEqualTo(first);
            var grant = context.getBean(TokenService.class).findGrant(java.util.UUID.fromString(fresh));
            assertThat(grant).isPresent();
            assertThat(context.getBean(TenantService.class).get("demo").getId())
                    .isEqualTo(grant.get().tenantId());
        }
    }

    private static java.util.List<String> printedTokens(String log) {
        return java.util.regex.Pattern.compile("is shown only this once:(?:\\s|\\\\n)+([0-9a-f-]{36})")
                .matcher(log)
                .results()
                .map(match -> match.group(1))
                .toList();
    }
}
