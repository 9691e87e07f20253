package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.Fence;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.connection.LeaseLostException;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.ActiveProfiles;

/**
 * The seam between {@code connection} and {@code contact}: the events a session publishes, as {@code contact}
 * receives them, with only this module and the ones it uses started (plus the database).
 */
@ApplicationModuleTest(
        mode = BootstrapMode.DIRECT_DEPENDENCIES,
        extraIncludes = {"database", "tenant"})
@ActiveProfiles("test")
@Import({TestTenants.class, TestInstances.class})
class ContactEventSeamTest {

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    JdbcClient jdbc;

    @Test
    void contactsASessionReportsAreMirroredWithTheirCounts(Scenario scenario) {
        long instance = newInstance("seam_contacts");
        Fence fence = instances.lease(instance);

        scenario.publish(new InstanceDataEvent.ContactsReceived(
                        instance,
                        fence,
                        List.of(
                                withPushName("5511988887777@s.whatsapp.net", "Ana"),
                                withPushName("525512345678@s.whatsapp.net", "Beto"))))
                .andWaitForStateChange(() -> contacts(instance), count -> count == 2)
                .andVerify(count -> assertThat(contactsCount(instance)).isEqualTo(2));
    }

    @Test
    void aLegacyFormOfAKnownNumberLandsOnTheSameContact(Scenario scenario) {
        long instance = newInstance("seam_legacy");
        Fence fence = instances.lease(instance);
        scenario.publish(new InstanceDataEvent.ContactsReceived(
                        instance, fence, List.of(withPushName("525512345678@s.whatsapp.net", "Beto"))))
                .andWaitForStateChange(() -> contacts(instance), count -> count == 1);

        scenario.publish(new InstanceDataEvent.ContactsReceived(
                        instance,
                        fence,
                        List.of(new ContactRecord(
                                "5215512345678@s.whatsapp.net", null, null, "Beto Pérez", null, null, true))))
                .andWaitForStateChange(() -> fullName(instance, "525512345678@s.whatsapp.net"), name -> name != null)
                .andVerify(name -> {
                    assertThat(name).isEqualTo("Beto Pérez");
                    assertThat(contacts(instance)).isEqualTo(1);
                });
    }

    @Test
    void aLidLearntForAPhoneNumberIsKeptOnItsContact(Scenario scenario) {
        long instance = newInstance("seam_lid");
        Fence fence = instances.lease(instance);
        scenario.publish(new InstanceDataEvent.ContactsReceived(
                        instance, fence, List.of(withPushName("5491112345678@s.whatsapp.net", "Caro"))))
                .andWaitForStateChange(() -> contacts(instance), count -> count == 1);

        scenario.publish(new InstanceDataEvent.IdentitiesMapped(
                        instance,
                        fence,
                        List.of(new IdentityMapping("123456789012345@lid", "541112345678@s.whatsapp.net"))))
                .andWaitForStateChange(() -> lid(instance, "5491112345678@s.whatsapp.net"), lid -> lid != null)
                .andVerify(lid -> assertThat(lid).isEqualTo("123456789012345@lid"));
    }

    @Test
    void anEventOfASessionWhoseLeaseWasTakenOverIsRefused(Scenario scenario) {
        long instance = newInstance("seam_fenced");
        Fence stale = new Fence("another-replica", 1);
        instances.lease(instance);

        assertThatThrownBy(() -> scenario.publish(new InstanceDataEvent.ContactsReceived(
                                instance, stale, List.of(withPushName("5511988887777@s.whatsapp.net", "Ana"))))
                        .andWaitForStateChange(() -> contacts(instance), count -> count > 0))
                .isInstanceOf(LeaseLostException.class);
        assertThat(contacts(instance)).isZero();
    }

    private long newInstance(String name) {
        return instances.create(tenants.create(), name, EngineType.SANDBOX).id();
    }

    /** A contact as a session first reports it: a phone-number JID and its push name. */
    private static ContactRecord withPushName(String jid, String pushName) {
        return new ContactRecord(jid, null, pushName, null, null, null, false);
    }

    private long contacts(long instance) {
        return jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ?")
                .param(instance)
                .query(Long.class)
                .single();
    }

    private long contactsCount(long instance) {
        return jdbc.sql("SELECT coalesce((SELECT contacts_count FROM contact_counts WHERE instance_id = ?), 0)")
                .param(instance)
                .query(Long.class)
                .single();
    }

    private String fullName(long instance, String jid) {
        return jdbc.sql("SELECT full_name FROM contacts WHERE instance_id = ? AND jid = ?")
                .param(instance)
                .param(jid)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private String lid(long instance, String jid) {
        return jdbc.sql("SELECT lid FROM contacts WHERE instance_id = ? AND jid = ?")
                .param(instance)
                .param(jid)
                .query(String.class)
                .optional()
                .orElse(null);
    }
}
