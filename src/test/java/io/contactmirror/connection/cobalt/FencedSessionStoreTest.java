package io.contactmirror.connection.cobalt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.Fence;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import it.auties.whatsapp.api.ClientType;
import it.auties.whatsapp.controller.Keys;
import it.auties.whatsapp.controller.Store;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Session-store writes carry the session's lease: refused in the same statement after a takeover, coalesced while
 * the database is slow (the latest snapshot wins, memory stays bounded), unchanged ones skipped, and dropped once
 * the session is closed.
 */
@IntegrationTest
class FencedSessionStoreTest {

    @Autowired
    PostgresSessionSerializer sessions;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    private long instance(String name) {
        return instances.create(tenants.create(), name, EngineType.WHATSAPP).id();
    }

    private Fence takeOver(long instanceId) {
        long epoch = jdbc.sql(
                        "UPDATE instance_leases SET owner_id = 'other-replica', epoch = epoch + 1 WHERE instance_id = ? RETURNING epoch")
                .param(instanceId)
                .query(Long.class)
                .single();
        return new Fence("other-replica", epoch);
    }

    private byte[] column(UUID session, String column) {
        return jdbc.sql("SELECT " + column + " FROM whatsapp_sessions WHERE session_uuid = ?")
                .param(session)
                .query((rs, row) -> rs.getBytes(1))
                .optional()
                .orElse(null);
    }

    private static Store store(UUID session, String name) {
        Store store = Store.of(session, null, List.of(), ClientType.WEB);
        store.setName(name);
        return store;
    }

    private String storedName(FencedSessionSerializer serializer) {
        return serializer
                .deserializeStore(ClientType.WEB, serializer.session())
                .map(Store::name)
                .orElse(null);
    }

    /** Holds a row lock on a session row, so the writer's next write of that session waits. */
    private Connection lockRow(UUID session) throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (var statement =
                connection.prepareStatement("SELECT 1 FROM whatsapp_sessions WHERE session_uuid = ? FOR UPDATE")) {
            statement.setObject(1, session);
            statement.executeQuery();
        }
        return connection;
    }

    @Test
    void writesOfAStaleFenceAreRefusedAfterATakeover() {
        long id = instance("fenced_store");
        Fence fence = instances.lease(id);
        var attempt = sessions.open(id, fence, () -> {});
        UUID session = attempt.session();
        Keys keys = Keys.of(session, null, List.of(), ClientType.WEB);
        attempt.serializeKeys(keys, false).join();
        attempt.serializeStore(store(session, "before the takeover"), false).join();
        byte[] storedKeys = column(session, "keys");
        assertThat(storedKeys).isNotNull();

        Fence newOwner = takeOver(id);
        attempt.serializeStore(store(session, "written by the old owner"), false)
                .join();
        assertThat(storedName(attempt)).isEqualTo("before the takeover");
        assertThat(attempt.isClosed()).isTrue();

        var zombie = sessions.open(id, fence, () -> {});
        zombie.serializeKeys(Keys.of(session, null, List.of(), ClientType.WEB), false)
                .join();
        zombie.deleteSession(keys);
        assertThat(column(session, "keys")).isEqualTo(storedKeys);
        assertThat(sessions.forget(id, fence)).isFalse();
        assertThat(sessions.hasCredentials(session)).isTrue();

        var current = sessions.open(id, newOwner, () -> {});
        current.serializeStore(store(session, "written by the new owner"), false)
                .join();
        assertThat(storedName(current)).isEqualTo("written by the new owner");
        assertThat(sessions.forget(id, newOwner)).isTrue();
        assertThat(sessions.hasCredentials(session)).isFalse();
    }

    @Test
    void aSlowDatabaseCoalescesSnapshotsLatestWinsAndMemoryStaysBounded() throws Exception {
        long id = instance("coalesced_store");
        var attempt = sessions.open(id, instances.lease(id), () -> {});
        UUID session = attempt.session();
        SnapshotWriter writer = sessions.writer();
        var before = writer.stats();
        int mostWaiting = 0;
        try (Connection lock = lockRow(session)) {
            Store store = store(session, "name 0");
            attempt.serializeStore(store, true);
            for (int i = 1; i <= 200; i++) {
                store.setName("name " + i);
                attempt.serializeStore(store, true);
                mostWaiting = Math.max(mostWaiting, writer.waiting());
            }
            // One write is stuck on the row lock; at most one snapshot per column waits behind it.
            assertThat(mostWaiting).isLessThanOrEqualTo(PostgresSessionSerializer.COLUMNS.size());
            lock.rollback();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> writer.waiting() == 0 && "name 200".equals(storedName(attempt)));
        var after = writer.stats();
        // The writer is shared by every session of the context, so other tests' sessions may add a write or two.
        assertThat(after.written() - before.written()).isLessThanOrEqualTo(10);
        assertThat(after.superseded() - before.superseded()).isGreaterThanOrEqualTo(190);

        // A snapshot equal to the last one handed over is skipped on the caller's thread: nothing queued, nothing
        // written.
        Store same = store(session, "name 200");
        attempt.serializeStore(same, true).join();
        long writtenBefore = writer.stats().written();
        var again = attempt.serializeStore(same, true);
        assertThat(again).as("skipped at once, not queued").isDone();
        assertThat(writer.waiting()).isZero();
        attempt.serializeStore(same, false).join();
        assertThat(writer.stats().written() - writtenBefore)
                .as("writes of other sessions at most")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void aClosedSessionsWaitingSnapshotsAreDropped() throws Exception {
        long slowId = instance("slow_store");
        long closedId = instance("closed_store");
        var slow = sessions.open(slowId, instances.lease(slowId), () -> {});
        var closing = sessions.open(closedId, instances.lease(closedId), () -> {});
        SnapshotWriter writer = sessions.writer();
        try (Connection lock = lockRow(slow.session())) {
            slow.serializeStore(store(slow.session(), "slow"), true);
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.waiting() <= 1);
            // The writer is stuck on the slow session; this one waits behind it.
            closing.serializeStore(store(closing.session(), "never stored"), true);
            assertThat(writer.waiting()).isGreaterThanOrEqualTo(1);
            closing.close();
            closing.serializeKeys(Keys.of(closing.session(), null, List.of(), ClientType.WEB), true);
            lock.commit();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "slow".equals(storedName(slow)) && writer.waiting() == 0);
        assertThat(column(closing.session(), "store")).isNull();
        assertThat(column(closing.session(), "keys")).isNull();
    }
}
