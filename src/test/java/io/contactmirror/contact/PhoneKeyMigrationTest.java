package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.Jid;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * V14 re-keys rows stored under the old Mexican and Argentine phone keys to what {@link Jid#phoneKey} gives now,
 * except where the instance already has a row with the new key (both forms mirrored as two rows).
 */
@IntegrationTest
class PhoneKeyMigrationTest {

    private static final Path SCRIPT = Path.of("db/migration/V14__phone_keys_of_mexico_and_argentina.sql");

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    JdbcClient jdbc;

    @Test
    void rekeysOldFormsWhereNoRowHoldsTheNewKeyAlready() throws IOException {
        long instance = instances
                .create(tenants.create(), "phone-keys", EngineType.SANDBOX)
                .id();
        // Stored as the old code keyed them: Mexico and Argentina under their own digits.
        insert(instance, "5215512345678");
        insert(instance, "541112345678");
        insert(instance, "5491187654321");
        insert(instance, "551133334444");
        // One person mirrored under both Mexican forms: two rows, and the new key is taken.
        insert(instance, "5213312345678");
        insert(instance, "523312345678");

        runMigration();

        assertThat(keyOf(instance, "5215512345678")).isEqualTo("525512345678").isEqualTo(Jid.phoneKey("5215512345678"));
        assertThat(keyOf(instance, "541112345678")).isEqualTo("5491112345678").isEqualTo(Jid.phoneKey("541112345678"));
        assertThat(keyOf(instance, "5491187654321")).isEqualTo("5491187654321");
        assertThat(keyOf(instance, "551133334444")).isEqualTo("551133334444");
        assertThat(keyOf(instance, "5213312345678"))
                .as("collision: keeps its old key")
                .isEqualTo("5213312345678");
        assertThat(keyOf(instance, "523312345678")).isEqualTo("523312345678");
    }

    private void insert(long instance, String phone) {
        jdbc.sql("""
                        INSERT INTO contacts (instance_id, jid, phone, phone_key, sort_name, search_text)
                        VALUES (:instance, :jid, :phone, :phone, :phone, :phone)""")
                .param("instance", instance)
                .param("jid", phone + "@s.whatsapp.net")
                .param("phone", phone)
                .update();
    }

    private String keyOf(long instance, String phone) {
        return jdbc.sql("SELECT phone_key FROM contacts WHERE instance_id = :instance AND phone = :phone")
                .param("instance", instance)
                .param("phone", phone)
                .query(String.class)
                .single();
    }

    /** The script Flyway ran at start (on an empty table), run again over the rows above: it is repeatable. */
    private void runMigration() throws IOException {
        String withoutComments = Files.readString(SCRIPT).replaceAll("(?m)^--.*$", "");
        Arrays.stream(withoutComments.split(";"))
                .map(String::strip)
                .filter(statement -> !statement.isEmpty())
                .forEach(statement -> jdbc.sql(statement).update());
    }
}
