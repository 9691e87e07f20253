package io.contactmirror.connection.cobalt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.DisconnectReason;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.engine.Account;
import io.contactmirror.connection.engine.SessionListener;
import io.contactmirror.connection.engine.SessionRequest;
import io.contactmirror.connection.engine.WhatsAppEngine;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * No route to WhatsApp's servers exists here: connecting must end in a clean, reported state within a bounded
 * time, with no hung thread and no stack trace.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "contactmirror.whatsapp.connect-timeout=PT5S",
            "contactmirror.whatsapp.pairing-timeout=PT10S",
            "contactmirror.connection.max-reconnect-attempts=2"
        })
@ExtendWith(OutputCaptureExtension.class)
class NoRouteConnectTest {

    @Autowired
    List<WhatsAppEngine> engines;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    JdbcClient jdbc;

    record Event(String name, Object detail) {}

    static class Recording implements SessionListener {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void qrCode(String payload, Instant expiresAt) {
            events.add(new Event("qr", payload));
        }

        @Override
        public void pairingCode(String code) {
            events.add(new Event("pairingCode", code));
        }

        @Override
        public void connecting() {
            events.add(new Event("connecting", null));
        }

        @Override
        public void loggedIn(Account account) {
            events.add(new Event("loggedIn", account));
        }

        @Override
        public void disconnected(DisconnectReason reason, String detail) {
            events.add(new Event("disconnected", reason));
        }

        @Override
        public void contacts(List<ContactRecord> contacts) {}

        @Override
        public void chats(List<ChatRecord> chats) {}

        @Override
        public void identityMappings(List<IdentityMapping> mappings) {}

        @Override
        public void syncProgress(int percent, boolean complete) {}
    }

    @Test
    void endsInAReportedConnectFailureWithoutHangingOrStackTraces(CapturedOutput output) {
        WhatsAppEngine engine = engines.stream()
                .filter(e -> e.type() == EngineType.WHATSAPP)
                .findFirst()
                .orElseThrow();
        var instance = instances.create(tenants.create(), "no_route", EngineType.WHATSAPP);
        var recording = new Recording();
        long started = System.nanoTime();
        var session = engine.open(
                new SessionRequest(instance.id(), instance.apiInstanceName(), null, instances.lease(instance.id())),
                recording);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> recording.events.contains(new Event("disconnected", DisconnectReason.CONNECT_FAILED)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(recording.events)
                .filteredOn(event -> event.name().equals("disconnected"))
                .hasSize(1);
        assertThat(session.queryProfilePicture("628123456789@s.whatsapp.net", true))
                .isCompletedExceptionally();
        session.close();
        assertThat(output.getErr()).doesNotContain("\tat it.auties");
    }

    @Test
    void theSocketManagerRetriesWithBackoffThenGivesUp() {
        var tenant = tenants.create();
        var instance = instances.create(tenant, "no_route_managed", EngineType.WHATSAPP);
        jdbc.sql("UPDATE instances SET desired_state = 'RUNNING' WHERE id = ?")
                .param(instance.id())
                .update();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "FAILED"
                        .equals(jdbc.sql("SELECT status FROM instances WHERE id = ?")
                                .param(instance.id())
                                .query(String.class)
                                .single()));
        Map<String, Object> row = jdbc.sql("SELECT * FROM instances WHERE id = ?")
                .param(instance.id())
                .query()
                .singleRow();
        assertThat(row.get("last_disconnect_reason")).isEqualTo("CONNECT_FAILED");
        assertThat(row.get("desired_state")).isEqualTo("STOPPED");
        assertThat(row.get("reconnect_attempts")).isEqualTo(2);
    }
}
