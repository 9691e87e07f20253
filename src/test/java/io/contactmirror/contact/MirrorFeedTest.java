package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeRecord;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The mirror's change records: what really changed, once, in order, and nothing for a re-sync that changes nothing. */
@IntegrationTest
class MirrorFeedTest {

    private static final String ANA = "5511988880001@s.whatsapp.net";
    private static final String ANA_LID = "190000000000001@lid";

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    ChangeLog changeLog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    Instance instance;

    @BeforeEach
    void createInstance() {
        instance = instances.create(tenants.create(), "feed_test", EngineType.SANDBOX);
    }

    private void publish(InstanceDataEvent event) {
        events.publishEvent(event);
    }

    private void contacts(ContactRecord... records) {
        publish(new InstanceDataEvent.ContactsReceived(
                instance.id(), instances.lease(instance.id()), List.of(records)));
    }

    private List<ChangeRecord> changes() {
        return changeLog.after(instance.id(), 0, 1000);
    }

    private long contactId(String jid) {
        return jdbc.sql("SELECT id FROM contacts WHERE instance_id = ? AND jid = ?")
                .param(instance.id())
                .param(jid)
                .query(Long.class)
                .single();
    }

    @Test
    void recordsCreatedThenOnlyTheFieldsThatChangedAndNothingForARepeat() {
        ContactRecord first = new ContactRecord(ANA, null, "Ana", null, null, null, null);
        contacts(first, new ContactRecord("5511988880002@s.whatsapp.net", null, "Bia", null, null, null, null));
        List<ChangeRecord> created = changes();
        assertThat(created)
                .extracting(ChangeRecord::type)
                .containsExactly(ChangeType.CONTACT_CREATED, ChangeType.CONTACT_CREATED);
        assertThat(created).extracting(ChangeRecord::seq).containsExactly(1L, 2L);
        ChangeRecord ana = created.stream()
                .filter(change -> change.contactId() == contactId(ANA))
                .findFirst()
                .orElseThrow();
        assertThat(ana.data().get("contact").get("id").asLong()).isEqualTo(contactId(ANA));
        assertThat(ana.data().get("contact").get("jid").asString()).isEqualTo(ANA);
        assertThat(ana.data().get("contact").get("phone").asString()).isEqualTo(ANA.substring(0, ANA.indexOf('@')));
        assertThat(ana.data().get("contact").get("pushName").asString()).isEqualTo("Ana");
        assertThat(ana.data().get("contact").get("name").asString()).isEqualTo("Ana");
        assertThat(ana.data().get("contact").get("isGroup").asBoolean()).isFalse();
        assertThat(ana.actor()).isNull();

        contacts(first);
        contacts(new ContactRecord(ANA, null, "", null, null, null, null));
        assertThat(changes())
                .as("a re-sync that changes nothing, or only blanks a name, writes nothing")
                .hasSize(2);

        contacts(new ContactRecord(ANA, null, "Ana Maria", null, null, "Ana Doces", null));
        List<ChangeRecord> all = changes();
        assertThat(all).hasSize(3);
        ChangeRecord updated = all.get(2);
        assertThat(updated.type()).isEqualTo(ChangeType.CONTACT_UPDATED);
        assertThat(updated.seq()).isEqualTo(3);
        assertThat(updated.contactId()).isEqualTo(contactId(ANA));
        var fields = updated.data().get("changes");
        assertThat(fields.propertyNames()).containsExactlyInAnyOrder("pushName", "businessName", "name");
        assertThat(fields.get("pushName").get("old").asString()).isEqualTo("Ana");
        assertThat(fields.get("pushName").get("new").asString()).isEqualTo("Ana Maria");
        assertThat(fields.get("businessName").get("old").isNull()).isTrue();
        assertThat(fields.get("name").get("new").asString()).isEqualTo("Ana Doces");
    }

    @Test
    void recordsAMergeOfTheLidRowIntoThePhoneRow() {
        contacts(
                new ContactRecord(ANA_LID, null, "Ana", null, null, null, null),
                new ContactRecord(ANA, null, null, "Ana Souza", "Ana", null, true));
        long lidRow = contactId(ANA_LID);
        long phoneRow = contactId(ANA);
        publish(new InstanceDataEvent.IdentitiesMapped(
                instance.id(), instances.lease(instance.id()), List.of(new IdentityMapping(ANA_LID, ANA))));

        List<ChangeRecord> all = changes();
        ChangeRecord merged = all.stream()
                .filter(change -> change.type() == ChangeType.CONTACT_MERGED)
                .findFirst()
                .orElseThrow();
        assertThat(merged.contactId()).isEqualTo(phoneRow);
        assertThat(merged.data().get("fromId").asLong()).isEqualTo(lidRow);
        assertThat(merged.data().get("intoId").asLong()).isEqualTo(phoneRow);
        assertThat(merged.data().get("fromJid").asString()).isEqualTo(ANA_LID);
        assertThat(merged.data().get("intoJid").asString()).isEqualTo(ANA);
        assertThat(all).extracting(ChangeRecord::seq).containsExactly(1L, 2L, 3L);

        publish(new InstanceDataEvent.IdentitiesMapped(
                instance.id(), instances.lease(instance.id()), List.of(new IdentityMapping(ANA_LID, ANA))));
        assertThat(changes()).as("a mapping applied again changes nothing").hasSize(3);
    }

    @Test
    void recordsAGroupRenamedThroughItsChatAndTheCompletedSync() {
        String group = "120363000000000077@g.us";
        contacts(new ContactRecord(group, null, null, "Old subject", null, null, null));
        publish(new InstanceDataEvent.ChatsReceived(
                instance.id(),
                instances.lease(instance.id()),
                List.of(new ChatRecord(group, "New subject", null, null, 0))));
        publish(new InstanceDataEvent.SyncCompleted(instance.id(), instances.lease(instance.id())));

        List<ChangeRecord> all = changes();
        assertThat(all)
                .extracting(ChangeRecord::type)
                .containsExactly(
                        ChangeType.CONTACT_CREATED, ChangeType.CONTACT_UPDATED, ChangeType.INSTANCE_SYNC_COMPLETED);
        assertThat(all.get(1).data().get("changes").get("name").get("old").asString())
                .isEqualTo("Old subject");
        assertThat(all.get(1).data().get("changes").get("name").get("new").asString())
                .isEqualTo("New subject");
        assertThat(all.get(2).data().get("contacts").asLong()).isZero();
        assertThat(all.get(2).data().get("groups").asLong()).isEqualTo(1);
    }
}
