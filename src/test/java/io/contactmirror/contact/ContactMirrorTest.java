package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class ContactMirrorTest {

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    Instance instance;

    @BeforeEach
    void createInstance() {
        instance = instances.create(tenants.create(), "mirror_test", EngineType.SANDBOX);
    }

    private void contacts(ContactRecord... records) {
        events.publishEvent(new InstanceDataEvent.ContactsReceived(
                instance.id(), instances.lease(instance.id()), List.of(records)));
    }

    private Map<String, Object> row(String jid) {
        return jdbc.sql("SELECT * FROM contacts WHERE instance_id = ? AND jid = ?")
                .param(instance.id())
                .param(jid)
                .query()
                .singleRow();
    }

    private long count() {
        return jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ?")
                .param(instance.id())
                .query(Long.class)
                .single();
    }

    private long storedCount() {
        return jdbc.sql("SELECT coalesce((SELECT contacts_count FROM contact_counts WHERE instance_id = ?), 0)")
                .param(instance.id())
                .query(Long.class)
                .single();
    }

    @Test
    void storesNamesWithCharactersPostgresCannotHoldCleanedInsteadOfFailingTheBatch() {
        contacts(
                new ContactRecord(
                        "5511966660000@s.whatsapp.net", null, "Nul\u0000Name", "Half \uD83D emoji", null, null, true),
                new ContactRecord("5511966660001@s.whatsapp.net", null, "Fine", null, null, null, true));
        assertThat(row("5511966660000@s.whatsapp.net").get("push_name")).isEqualTo("NulName");
        assertThat(row("5511966660000@s.whatsapp.net").get("full_name")).isEqualTo("Half \uFFFD emoji");
        assertThat(row("5511966660001@s.whatsapp.net").get("push_name")).isEqualTo("Fine");
    }

    @Test
    void storesTheMembersOfManyGroupsAtOnceEachReplacingWhatWasKnown() {
        String first = "120363000000000001@g.us";
        String second = "120363000000000002@g.us";
        events.publishEvent(new InstanceDataEvent.GroupParticipants(
                instance.id(),
                instances.lease(instance.id()),
                Map.of(
                        first, List.of("5511988880001@s.whatsapp.net", "5511988880002@s.whatsapp.net"),
                        second, List.of("5511988880003@s.whatsapp.net", "120363000000000009@g.us"))));
        events.publishEvent(new InstanceDataEvent.GroupParticipants(
                instance.id(),
                instances.lease(instance.id()),
                Map.of(first, List.of("5511988880002@s.whatsapp.net", "100000000000077@lid"))));

        assertThat(jdbc.sql("""
                        SELECT group_jid || ' ' || participant_jid FROM group_participants
                        WHERE instance_id = ? ORDER BY 1""").param(instance.id()).query(String.class).list())
                .containsExactly(
                        first + " 100000000000077@lid",
                        first + " 5511988880002@s.whatsapp.net",
                        second + " 5511988880003@s.whatsapp.net");
    }

    @Test
    void storesABatchOfThousandsInOneGo() {
        List<ContactRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            batch.add(new ContactRecord(
                    "62812" + String.format("%07d", i) + "@s.whatsapp.net", null, "Push " + i, null, null, null, null));
        }
        events.publishEvent(
                new InstanceDataEvent.ContactsReceived(instance.id(), instances.lease(instance.id()), batch));
        assertThat(count()).isEqualTo(5000);
        assertThat(storedCount()).isEqualTo(5000);
        events.publishEvent(
                new InstanceDataEvent.ContactsReceived(instance.id(), instances.lease(instance.id()), batch));
        assertThat(storedCount()).isEqualTo(5000);
    }

    @Test
    void neverBlanksAKnownNameAndKeepsCrmFields() {
        contacts(new ContactRecord(
                "5511999990001@s.whatsapp.net", null, "Maria", "Maria Silva", "Maria", "Silva Comércio", true));
        jdbc.sql(
                        "UPDATE contacts SET notes = 'VIP', funnel_stage_id = 'won', custom_data = '{\"tier\":1}' WHERE jid = ?")
                .param("5511999990001@s.whatsapp.net")
                .update();
        contacts(new ContactRecord("5511999990001@s.whatsapp.net", null, "", null, "  ", null, null));
        contacts(new ContactRecord("5511999990001@s.whatsapp.net", null, "Mari", null, null, null, null));

        var row = row("5511999990001@s.whatsapp.net");
        assertThat(row.get("push_name")).isEqualTo("Mari");
        assertThat(row.get("full_name")).isEqualTo("Maria Silva");
        assertThat(row.get("first_name")).isEqualTo("Maria");
        assertThat(row.get("business_name")).isEqualTo("Silva Comércio");
        assertThat(row.get("in_address_book")).isEqualTo(true);
        assertThat(row.get("notes")).isEqualTo("VIP");
        assertThat(row.get("funnel_stage_id")).isEqualTo("won");
        assertThat(row.get("search_text").toString()).contains("silva comercio", "5511999990001");
    }

    @Test
    void mergesLidAndPhoneIdentitiesOfOnePersonKeepingCrmFields() {
        contacts(new ContactRecord("100000000000001@lid", null, "Ana", null, null, null, null));
        contacts(new ContactRecord("5521988887777@s.whatsapp.net", null, null, "Ana Souza", "Ana", null, true));
        jdbc.sql(
                        "UPDATE contacts SET notes = 'from lid', custom_data = '{\"a\":1,\"b\":1}' WHERE jid = '100000000000001@lid'")
                .update();
        jdbc.sql(
                        "UPDATE contacts SET assigned_user_id = 'u7', custom_data = '{\"b\":2}' WHERE jid = '5521988887777@s.whatsapp.net'")
                .update();
        assertThat(count()).isEqualTo(2);

        events.publishEvent(new InstanceDataEvent.IdentitiesMapped(
                instance.id(),
                instances.lease(instance.id()),
                List.of(new IdentityMapping("100000000000001@lid", "5521988887777@s.whatsapp.net"))));

        assertThat(count()).isEqualTo(1);
        assertThat(storedCount()).isEqualTo(1);
        var row = row("5521988887777@s.whatsapp.net");
        assertThat(row.get("lid")).isEqualTo("100000000000001@lid");
        assertThat(row.get("push_name")).isEqualTo("Ana");
        assertThat(row.get("full_name")).isEqualTo("Ana Souza");
        assertThat(row.get("notes")).isEqualTo("from lid");
        assertThat(row.get("assigned_user_id")).isEqualTo("u7");
        assertThat(row.get("custom_data").toString()).contains("\"a\": 1", "\"b\": 2");

        // Later reports under the LID land on the same row.
        contacts(new ContactRecord("100000000000001@lid", null, "Aninha", null, null, null, null));
        assertThat(count()).isEqualTo(1);
        assertThat(row("5521988887777@s.whatsapp.net").get("push_name")).isEqualTo("Aninha");
    }

    @Test
    void rekeysALidOnlyContactWhenItsPhoneBecomesKnown() {
        contacts(new ContactRecord("100000000000002@lid", null, "Budi", null, null, null, null));
        contacts(new ContactRecord(
                "6281234567890@s.whatsapp.net", "100000000000002@lid", null, "Budi Santoso", null, null, true));
        assertThat(count()).isEqualTo(1);
        var row = row("6281234567890@s.whatsapp.net");
        assertThat(row.get("lid")).isEqualTo("100000000000002@lid");
        assertThat(row.get("push_name")).isEqualTo("Budi");
        assertThat(row.get("full_name")).isEqualTo("Budi Santoso");
    }

    @Test
    void treatsBrazilianNumbersWithAndWithoutTheNinthDigitAsOnePerson() {
        contacts(new ContactRecord("551188887777@s.whatsapp.net", null, "João", null, null, null, null));
        contacts(new ContactRecord("5511988887777@s.whatsapp.net", null, null, "João Conceição", null, null, true));
        assertThat(count()).isEqualTo(1);
        var row = row("551188887777@s.whatsapp.net");
        assertThat(row.get("push_name")).isEqualTo("João");
        assertThat(row.get("full_name")).isEqualTo("João Conceição");
        assertThat(row.get("phone_key")).isEqualTo("5511988887777");
        // Landlines (first local digit 2-5) have no ninth digit and stay distinct.
        contacts(new ContactRecord("551133334444@s.whatsapp.net", null, "Escritório", null, null, null, null));
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void keepsTheNewestLastMessageOfAChat() {
        contacts(new ContactRecord("4915112345678@s.whatsapp.net", null, "Jürgen", null, null, null, null));
        Instant newer = Instant.parse("2026-06-13T08:00:00Z");
        events.publishEvent(new InstanceDataEvent.ChatsReceived(
                instance.id(),
                instances.lease(instance.id()),
                List.of(new ChatRecord("4915112345678@s.whatsapp.net", "Jürgen Müller", "Hallo", newer, 2))));
        events.publishEvent(new InstanceDataEvent.ChatsReceived(
                instance.id(),
                instances.lease(instance.id()),
                List.of(new ChatRecord("4915112345678@s.whatsapp.net", null, "older", newer.minusSeconds(60), null))));
        var chat = jdbc.sql("SELECT * FROM chats WHERE instance_id = ?")
                .param(instance.id())
                .query()
                .singleRow();
        assertThat(chat.get("last_message_text")).isEqualTo("Hallo");
        assertThat(chat.get("unread_count")).isEqualTo(2);
        assertThat(row("4915112345678@s.whatsapp.net").get("search_text").toString())
                .contains("jurgen muller");
    }
}
