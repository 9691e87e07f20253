package io.contactmirror.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * A separate JVM that starts the embedded PostgreSQL on a data directory the way the application does, writes a
 * row, says {@code READY} and then waits to be killed: the test kills it with SIGKILL, like {@code kill -9}.
 */
final class PostgresChildProcess {

    private PostgresChildProcess() {}

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(Path.of(args[0]))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            connection.createStatement().execute("create table if not exists survivor (note text)");
            connection.createStatement().execute("insert into survivor values ('written before kill -9')");
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
