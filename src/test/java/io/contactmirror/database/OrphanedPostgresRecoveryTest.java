package io.contactmirror.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.contactmirror.ContactMirrorApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A hard-killed run leaves its PostgreSQL running on the data directory; the next start must cope with that. The
 * first run is a real separate JVM killed with SIGKILL, so the orphan is exactly what {@code kill -9} leaves behind.
 */
@ExtendWith(OutputCaptureExtension.class)
class OrphanedPostgresRecoveryTest {

    @TempDir
    Path dataDirectory;

    private Process child;
    private EmbeddedDatabaseConfiguration.EmbeddedDatabase database;

    @AfterEach
    void cleanUp() throws Exception {
        if (database != null) {
            database.close();
        }
        if (child != null) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // @TempDir deletes the data directory next: PostgreSQL must be gone by then, not still writing its
        // shutdown checkpoint into it (that race failed CI with "Failed to close extension context").
        Optional<ProcessHandle> postmaster = postmasterPid().flatMap(ProcessHandle::of);
        if (postmaster.isPresent()) {
            postmaster.get().destroy();
            postmaster.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theNextStartStopsThePostgresOfAKilledRunAndKeepsItsDataWithFsyncOn() throws Exception {
        startChild();
        long orphanPid = postmasterPid().orElseThrow();
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(orphanPid))
                .as("PostgreSQL outlives the killed JVM")
                .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        long started = System.nanoTime();
        database = new EmbeddedDatabaseConfiguration().embeddedDatabase(persistent());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(30));
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        JdbcClient jdbc = JdbcClient.create(database.postgres().getPostgresDatabase());
        assertThat(jdbc.sql("select note from survivor").query(String.class).list())
                .containsExactly("written before kill -9");
        assertThat(jdbc.sql("show fsync").query(String.class).single()).isEqualTo("on");
    }

    @Test
    void aDirectoryInUseByALiveRunFailsInOneLineAndLeavesThatRunAlone() throws Exception {
        startChild();
        long livePid = postmasterPid().orElseThrow();

        assertThatThrownBy(() -> new EmbeddedDatabaseConfiguration().embeddedDatabase(persistent()))
                .isInstanceOf(EmbeddedDatabaseUnavailableException.class)
                .hasMessageContaining("is in use by another running Contact Mirror")
                .hasMessageContaining(dataDirectory.toString())
                .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("\n"));
        assertThat(ProcessHandle.of(livePid).map(ProcessHandle::isAlive).orElse(false))
                .isTrue();
    }

    @Test
    void theApplicationReportsADirectoryInUseInOneLineInsteadOfAStackTrace(CapturedOutput output) throws Exception {
        startChild();

        assertThatThrownBy(() -> new SpringApplicationBuilder(ContactMirrorApplication.class)
                        .run("--server.port=0", "--contactmirror.embedded-database.data-directory=" + dataDirectory))
                .hasRootCauseInstanceOf(EmbeddedDatabaseUnavailableException.class);
        String report = output.getOut() + output.getErr();
        assertThat(report)
                .contains("APPLICATION FAILED TO START")
                .contains("The embedded database in " + dataDirectory + " is in use by another running Contact Mirror")
                .doesNotContain("Caused by:");
    }

    @Test
    void aThrowAwayClusterRunsWithoutFsync() throws IOException {
        database = new EmbeddedDatabaseConfiguration()
                .embeddedDatabase(new EmbeddedDatabaseProperties(dataDirectory, true, 0));
        JdbcClient jdbc = JdbcClient.create(database.postgres().getPostgresDatabase());
        assertThat(jdbc.sql("show fsync").query(String.class).single()).isEqualTo("off");
    }

    private EmbeddedDatabaseProperties persistent() {
        return new EmbeddedDatabaseProperties(dataDirectory, false, 0);
    }

    private void startChild() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        PostgresChildProcess.class.getName(),
                        dataDirectory.toString())
                .redirectErrorStream(true)
                .start();
        var reader = new BufferedReader(new InputStreamReader(child.getInputStream()));
        String ready = CompletableFuture.supplyAsync(
                        () -> reader.lines().filter("READY"::equals).findFirst().orElse("EOF"))
                .get(120, TimeUnit.SECONDS);
        assertThat(ready).as("the child JVM started PostgreSQL").isEqualTo("READY");
        // Keep draining so the child never blocks on a full pipe.
        Thread.ofVirtual().start(() -> reader.lines().forEach(line -> {}));
    }

    private Optional<Long> postmasterPid() {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            return Files.exists(pidFile)
                    ? Optional.of(Long.parseLong(
                            Files.readAllLines(pidFile).getFirst().strip()))
                    : Optional.empty();
        } catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
    }
}
