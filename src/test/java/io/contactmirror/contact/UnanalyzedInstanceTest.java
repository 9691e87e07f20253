package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Statistics gathered before an instance synced know the other instances but nothing of its rows. Planned for them,
 * a statement that finds rows by their keys "finds one row" through the smallest index on instance_id and reads the
 * whole instance instead. The mirror's batches, the lookups by key and the list's page load read about what they name:
 * counted here as the index entries of contacts and chats the transaction read.
 */
@IntegrationTest
class UnanalyzedInstanceTest {

    private static final int PEOPLE = 2000;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ContactLookup lookups;

    @Autowired
    IdentifierResolver resolver;

    @Autowired
    ContactSearch search;

    TestTenants.TestTenant tenant;
    Instance instance;

    @BeforeEach
    void syncAnInstanceAfterStatisticsOfAnother() {
        Instance known = instances.create(tenants.create(), "stats_known", EngineType.SANDBOX);
        contacts(known, "62814", "Known ");
        jdbc.sql("ANALYZE contacts").update();
        tenant = tenants.create();
        instance = instances.create(tenant, "stats_unseen", EngineType.SANDBOX);
        contacts(instance, "62813", "Push ");
        List<ChatRecord> chats = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            chats.add(new ChatRecord(jid("62813", i), null, "Hello " + i, Instant.now(), 0));
        }
        events.publishEvent(new InstanceDataEvent.ChatsReceived(instance.id(), instances.lease(instance.id()), chats));
    }

    @Test
    void aBatchOfTheMirrorProbesTheRowsItNames() {
        long read = indexEntriesRead(() -> contacts(instance, "62813", "Renamed "));

        assertThat(jdbc.sql("SELECT push_name FROM contacts WHERE instance_id = ? AND jid = ?")
                        .param(instance.id())
                        .param(jid("62813", 1999))
                        .query(String.class)
                        .single())
                .isEqualTo("Renamed 1999");
        // A few entries per contact (its probes, the upsert's conflict check), not thousands.
        assertThat(read).isLessThan(20L * PEOPLE);
    }

    @Test
    void lookupsByPhoneJidOrLidReadTheRowsTheyName() {
        var principal = new TenantPrincipal(null, tenant.tenantId(), tenant.userId(), null, Scope.all());

        long read = indexEntriesRead(() -> {
            assertThat(lookups.lookup(principal, instance.instanceName(), "628130001234", null)
                            .pushName())
                    .isEqualTo("Push 1234");
            var resolved = resolver.resolve(
                    principal,
                    instance.instanceName(),
                    List.of("628130000007@s.whatsapp.net", "628130000008", "999999999999@lid"),
                    null);
            assertThat(resolved.results())
                    .extracting(IdentifierResolver.Resolution::found)
                    .containsExactly(true, true, false);
        });

        assertThat(read).isLessThan(100);
    }

    @Test
    void aPageOfTheListLoadsItsContactsAndTheirChatsByKey() {
        var principal = new TenantPrincipal(null, tenant.tenantId(), tenant.userId(), null, Scope.all());

        long read = indexEntriesRead(() -> {
            var page = search.list(principal, instance.instanceName(), null, false, 1, 50, null, null)
                    .page();
            assertThat(page.items()).hasSize(50);
            assertThat(page.items().getFirst().chat()).isNotNull();
        });

        // The walk to the page, then one probe per contact and per chat: not the instance, not its chats per row.
        assertThat(read).isLessThan(500);
    }

    private static String jid(String prefix, int i) {
        return prefix + String.format("%07d", i) + "@s.whatsapp.net";
    }

    private void contacts(Instance target, String prefix, String name) {
        List<ContactRecord> batch = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            batch.add(new ContactRecord(jid(prefix, i), null, name + i, null, null, null, null));
        }
        events.publishEvent(new InstanceDataEvent.ContactsReceived(target.id(), instances.lease(target.id()), batch));
    }

    /** Index entries of contacts and chats read by what {@code work} does, in one transaction. */
    private long indexEntriesRead(Runnable work) {
        return transactions.execute(status -> {
            long before = indexEntriesReadSoFar();
            work.run();
            return indexEntriesReadSoFar() - before;
        });
    }

    private long indexEntriesReadSoFar() {
        return jdbc.sql("""
                        SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(indexrelid)), 0) FROM pg_index
                        WHERE indrelid IN ('contacts'::regclass, 'chats'::regclass)""").query(Long.class).single();
    }
}
