package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** V16 moves each instance's counters out of {@code instances} into {@code contact_counts}, values unchanged. */
class ContactCountsMigrationTest {

    private EmbeddedPostgres postgres;
    private DataSource database;
    private JdbcClient jdbc;

    @BeforeEach
    void startDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        database = postgres.getPostgresDatabase();
        jdbc = JdbcClient.create(database);
    }

    @AfterEach
    void stopDatabase() throws IOException {
        postgres.close();
    }

    @Test
    void copiesTheCountersOfEveryInstanceAndDropsTheirColumns() {
        migrate("15");
        jdbc.sql("""
                        INSERT INTO tenants (id, slug, name, status, created_at)
                        VALUES ('00000000-0000-0000-0000-000000000001', 'acme', 'Acme', 'ACTIVE', now())""").update();
        long counted = instance("counted", 1_234, 56);
        long empty = instance("empty", 0, 0);

        migrate("16");

        Map<Long, String> counts = jdbc
                .sql("SELECT instance_id, contacts_count || '/' || groups_count FROM contact_counts")
                .query((rs, row) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .list()
                .stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(counts).containsOnly(Map.entry(counted, "1234/56"), Map.entry(empty, "0/0"));
        assertThat(jdbc.sql("""
                                SELECT count(*) FROM information_schema.columns
                                WHERE table_name = 'instances' AND column_name IN ('contacts_count', 'groups_count')""").query(Long.class).single()).isZero();
    }

    private long instance(String name, long contacts, long groups) {
        return jdbc.sql("""
                        INSERT INTO instances (tenant_id, instance_name, display_name, api_instance_name, engine, status,
                                               desired_state, contacts_count, groups_count, created_at, updated_at)
                        VALUES ('00000000-0000-0000-0000-000000000001', :name, :name, :name, 'SANDBOX', 'CREATED',
                                'STOPPED', :contacts, :groups, now(), now())
                        RETURNING id""")
                .param("name", name)
                .param("contacts", contacts)
                .param("groups", groups)
                .query(Long.class)
                .single();
    }

    private void migrate(String target) {
        Flyway.configure()
                .dataSource(database)
                .locations("filesystem:db/migration")
                .target(target)
                .load()
                .migrate();
    }
}
