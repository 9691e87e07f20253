package io.contactmirror.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.contactmirror.connection.EngineType;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.JsonNodeFactory;

@IntegrationTest
class ChangeLogTest {

    @Autowired
    ChangeLog changeLog;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    private long newInstance() {
        return instances
                .create(tenants.create(), "log-" + System.nanoTime(), EngineType.SANDBOX)
                .id();
    }

    @Test
    void appendsOutsideATransactionAreRefused() {
        long instance = newInstance();
        assertThatThrownBy(() -> changeLog.append(
                        instance, ChangeType.CONTACT_CREATED, 1L, JsonNodeFactory.instance.objectNode(), null))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void reservedRangesAreConsecutiveAndARolledBackWriteLeavesNoRecord() {
        long instance = newInstance();
        long first = transactions.execute(status -> changeLog.reserve(instance, 5));
        long next = transactions.execute(status -> changeLog.append(
                instance,
                ChangeType.CONTACT_DELETED,
                7L,
                JsonNodeFactory.instance.objectNode().put("jid", "x"),
                "user-1"));
        assertThat(first).isEqualTo(1);
        assertThat(next).isEqualTo(6);

        transactions.executeWithoutResult(status -> {
            changeLog.append(instance, ChangeType.CONTACT_CREATED, 8L, JsonNodeFactory.instance.objectNode(), null);
            status.setRollbackOnly();
        });
        List<ChangeRecord> records = changeLog.after(instance, 0, 100);
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.seq()).isEqualTo(6);
            assertThat(record.type()).isEqualTo(ChangeType.CONTACT_DELETED);
            assertThat(record.contactId()).isEqualTo(7L);
            assertThat(record.actor()).isEqualTo("user-1");
            assertThat(record.data().get("jid").asString()).isEqualTo("x");
        });
    }

    /** A reader polling while writers commit never sees a sequence appear below one it has already read. */
    @Test
    void sequencesBecomeVisibleInCommitOrder() throws Exception {
        long instance = newInstance();
        int writers = 4;
        int perWriter = 150;
        var done = new CountDownLatch(writers);
        var stop = new AtomicBoolean();
        var read = new ConcurrentLinkedQueue<Long>();
        try (var pool = Executors.newFixedThreadPool(writers + 1)) {
            for (int w = 0; w < writers; w++) {
                pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        transactions.executeWithoutResult(status -> changeLog.append(
                                instance,
                                ChangeType.CONTACT_UPDATED,
                                null,
                                JsonNodeFactory.instance.objectNode(),
                                null));
                    }
                    done.countDown();
                });
            }
            pool.submit(() -> {
                long after = 0;
                while (!stop.get() || after < (long) writers * perWriter) {
                    for (ChangeRecord record : changeLog.after(instance, after, 50)) {
                        read.add(record.seq());
                        after = record.seq();
                    }
                }
            });
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
        }
        List<Long> expected = new ArrayList<>();
        for (long seq = 1; seq <= (long) writers * perWriter; seq++) {
            expected.add(seq);
        }
        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(changeLog.lastSequence(instance)).isEqualTo((long) writers * perWriter);
    }
}
