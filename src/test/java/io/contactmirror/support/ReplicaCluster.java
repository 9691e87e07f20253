package io.contactmirror.support;

import io.contactmirror.ContactMirrorApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Replicas of the application (one context each, profile {@code test}) on one embedded PostgreSQL of their own. */
public final class ReplicaCluster implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final List<ConfigurableApplicationContext> replicas = new CopyOnWriteArrayList<>();

    private ReplicaCluster(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the database; replicas start one by one with {@link #startReplica}. */
    public static ReplicaCluster start() throws IOException {
        return new ReplicaCluster(
                EmbeddedPostgres.builder().setRegisterShutdownHook(false).start());
    }

    /** Starts a replica under {@code replicaId}, with {@code settings} ({@code --name=value}) added to the defaults. */
    public ConfigurableApplicationContext startReplica(String replicaId, String... settings) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--contactmirror.connection.replica-id=" + replicaId));
        arguments.addAll(List.of(settings));
        var context = new SpringApplicationBuilder(ContactMirrorApplication.class)
                .profiles("test")
                .run(arguments.toArray(String[]::new));
        replicas.add(context);
        return context;
    }

    /** Every replica started so far, closed ones included (check {@code isActive()}). */
    public List<ConfigurableApplicationContext> replicas() {
        return replicas;
    }

    @Override
    public void close() throws IOException {
        replicas.forEach(ConfigurableApplicationContext::close);
        postgres.close();
    }
}
