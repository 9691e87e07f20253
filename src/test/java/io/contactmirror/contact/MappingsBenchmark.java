package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Applying one batch of LID→phone mappings, as Cobalt reports them at login: half merge a LID row into a phone row,
 * a quarter re-key a LID-only row, a quarter give a phone row its LID. Not a test: run it with
 * {@code ./mvnw -Pbenchmark test -Dtest=MappingsBenchmark}; the size is {@code -Dbenchmark.mappings} (default 20,000).
 */
@IntegrationTest
class MappingsBenchmark {

    private static final int MAPPINGS = Integer.getInteger("benchmark.mappings", 20_000);
    private static final int BATCH = 1_000;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Test
    void appliesABatchOfMappings() {
        Instance instance = instances.create(tenants.create(), "mappings_benchmark", EngineType.SANDBOX);
        List<ContactRecord> records = new ArrayList<>();
        List<IdentityMapping> mappings = new ArrayList<>();
        for (int i = 0; i < MAPPINGS; i++) {
            String lid = (200_000_000_000_000L + i) + "@lid";
            String phone = "62813" + String.format(Locale.ROOT, "%08d", i) + "@s.whatsapp.net";
            int kind = i % 4;
            if (kind != 3) {
                records.add(new ContactRecord(lid, null, "Lid " + i, null, null, null, null));
            }
            if (kind != 2) {
                records.add(new ContactRecord(phone, null, null, "Phone " + i, null, null, true));
            }
            mappings.add(new IdentityMapping(lid, phone));
        }
        for (int from = 0; from < records.size(); from += BATCH) {
            events.publishEvent(new InstanceDataEvent.ContactsReceived(
                    instance.id(),
                    instances.lease(instance.id()),
                    records.subList(from, Math.min(records.size(), from + BATCH))));
        }
        long rowsBefore = count(instance);
        var fence = instances.lease(instance.id());
        long start = System.nanoTime();
        events.publishEvent(new InstanceDataEvent.IdentitiesMapped(instance.id(), fence, mappings));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long rowsAfter = count(instance);
        System.out.printf(
                Locale.ROOT,
                "%nMAPPINGS BENCHMARK: %,d mappings applied in one batch in %,d ms (%,.0f mappings/s); rows %,d -> %,d%n%n",
                MAPPINGS,
                millis,
                MAPPINGS * 1000.0 / Math.max(1, millis),
                rowsBefore,
                rowsAfter);
        assertThat(rowsAfter).isEqualTo(rowsBefore - MAPPINGS / 2);
    }

    private long count(Instance instance) {
        return jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ?")
                .param(instance.id())
                .query(Long.class)
                .single();
    }
}
