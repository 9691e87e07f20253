package io.contactmirror.connection.cobalt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.connection.DisconnectReason;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.Fence;
import io.contactmirror.connection.engine.SessionListener;
import io.contactmirror.connection.engine.SessionRequest;
import io.contactmirror.connection.engine.WhatsAppEngine;
import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceService;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import it.auties.whatsapp.api.ClientType;
import it.auties.whatsapp.api.Whatsapp;
import it.auties.whatsapp.controller.Keys;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.model.jid.Jid;
import it.auties.whatsapp.model.jid.JidServer;
import it.auties.whatsapp.model.node.Node;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A real Cobalt client against a local stand-in for WhatsApp's endpoint (no internet here): a socket the server
 * closes or that goes silent is reported as lost within the configured bound; a stream conflict is reported as
 * REPLACED and no connection of the device stays open; each attempt gets a new client built from the stored state;
 * a socket still handshaking when its session closes is closed once it connects; and the socket manager opens a new
 * connection after the server closed the socket.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "contactmirror.whatsapp.liveness-check-interval=PT0.2S",
            "contactmirror.whatsapp.silence-timeout=PT2S",
            "contactmirror.whatsapp.socket-down-grace=PT0.5S",
            "contactmirror.whatsapp.connect-timeout=PT20S",
            "contactmirror.whatsapp.pairing-timeout=PT30S"
        })
class LocalEndpointTest {

    /** Configured grace plus two check intervals, with a wide margin for a loaded 2-core machine. */
    private static final Duration CLOSE_DETECTION_BOUND = Duration.ofSeconds(10);
    /** Configured silence timeout plus a check interval, with a wide margin. */
    private static final Duration SILENCE_DETECTION_BOUND = Duration.ofSeconds(12);

    static LocalWhatsApp whatsapp;

    @DynamicPropertySource
    static void pointCobaltAtTheLocalEndpoint(DynamicPropertyRegistry registry) throws Exception {
        whatsapp = new LocalWhatsApp(Files.createTempDirectory("local-whatsapp"));
        registry.add("contactmirror.whatsapp.proxy", () -> whatsapp.proxyUri().toString());
    }

    @AfterAll
    static void stopTheLocalEndpoint() throws Exception {
        whatsapp.close();
    }

    @Autowired
    List<WhatsAppEngine> engines;

    @Autowired
    PostgresSessionSerializer sessions;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    InstanceService instanceService;

    @Autowired
    JdbcClient jdbc;

    record Disconnect(DisconnectReason reason, String detail, long at) {}

    /** Records disconnects with their detail and time, besides what the no-route test records. */
    static final class Recording extends NoRouteConnectTest.Recording {
        final List<Disconnect> disconnects = new CopyOnWriteArrayList<>();

        @Override
        public void disconnected(DisconnectReason reason, String detail) {
            super.disconnected(reason, detail);
            disconnects.add(new Disconnect(reason, detail, System.nanoTime()));
        }
    }

    private CobaltSession open(Instance instance, Fence fence, SessionListener listener) {
        WhatsAppEngine engine = engines.stream()
                .filter(e -> e.type() == EngineType.WHATSAPP)
                .findFirst()
                .orElseThrow();
        return (CobaltSession)
                engine.open(new SessionRequest(instance.id(), instance.apiInstanceName(), null, fence), listener);
    }

    /** A session whose socket finished the handshake and received a first node. */
    private record Connected(CobaltSession session, LocalWhatsApp.Connection connection, Recording recording) {}

    private Connected connect(String name) throws Exception {
        var instance = instances.create(tenants.create(), name, EngineType.WHATSAPP);
        int index = whatsapp.connections().size();
        var recording = new Recording();
        CobaltSession session = open(instance, instances.lease(instance.id()), recording);
        var connection = whatsapp.awaitConnection(index);
        assertThat(connection.await(connection.handshakeDone)).isTrue();
        // Cobalt marks the socket connected only after sending its handshake finish; a node arriving before that is
        // taken for a handshake message.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> session.client() != null && session.client().isConnected());
        connection.send(Node.of("ib"));
        await().atMost(Duration.ofSeconds(10)).until(session::connectedOnce);
        assertThat(session.isAlive()).isTrue();
        assertThat(recording.disconnects).isEmpty();
        return new Connected(session, connection, recording);
    }

    @Test
    void aSocketTheServerClosesIsReportedLostWithinTheBound() throws Exception {
        Connected connected = connect("server_closes");
        long closedAt = System.nanoTime();
        connected.connection().close();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !connected.recording().disconnects.isEmpty());
        Disconnect reported = connected.recording().disconnects.getFirst();
        assertThat(reported.reason()).isEqualTo(DisconnectReason.CONNECTION_LOST);
        assertThat(Duration.ofNanos(reported.at() - closedAt)).isLessThan(CLOSE_DETECTION_BOUND);
        assertThat(connected.session().isAlive()).isFalse();
        assertThat(connected.recording().disconnects).hasSize(1);
        connected.session().close();
        // Cobalt's shutdown hook would keep the stopped client in memory until the JVM exits.
        Thread hook = CobaltShutdownHook.of(connected.session().client()).orElseThrow();
        assertThat(Runtime.getRuntime().removeShutdownHook(hook))
                .as("the client's shutdown hook is still registered")
                .isFalse();
    }

    @Test
    void theSocketManagerOpensANewConnectionAfterTheServerClosedTheSocket() throws Exception {
        var tenant = tenants.create();
        instances.create(tenant, "manager_reconnects", EngineType.WHATSAPP);
        int index = whatsapp.connections().size();
        instanceService.connect(
                new TenantPrincipal(null, tenant.tenantId(), tenant.userId(), null, Scope.all()), "manager_reconnects");
        var first = whatsapp.awaitConnection(index);
        assertThat(first.await(first.handshakeDone)).isTrue();
        // A first node makes the socket count as up (see connect()); then the server hangs up.
        Thread.sleep(500);
        first.send(Node.of("ib"));
        Thread.sleep(300);
        first.close();

        // Whether Cobalt saw the socket up (lost) or still connecting (failed), the socket manager tries again.
        var second = whatsapp.awaitConnection(index + 1);
        assertThat(second.await(second.handshakeDone)).isTrue();
        assertThat(jdbc.sql("SELECT last_disconnect_reason FROM instances WHERE instance_name = 'manager_reconnects'")
                        .query(String.class)
                        .single())
                .isIn("CONNECTION_LOST", "CONNECT_FAILED");
        instanceService.disconnect(
                new TenantPrincipal(null, tenant.tenantId(), tenant.userId(), null, Scope.all()), "manager_reconnects");
    }

    @Test
    void aSocketThatGoesSilentIsReportedLostWithinTheBound() throws Exception {
        Connected connected = connect("server_silent");
        long lastNodeAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !connected.recording().disconnects.isEmpty());
        Disconnect reported = connected.recording().disconnects.getFirst();
        assertThat(reported.reason()).isEqualTo(DisconnectReason.CONNECTION_LOST);
        assertThat(reported.detail()).startsWith("no data from WhatsApp");
        // Not before the configured silence timeout (2 s), and well within the bound after it.
        assertThat(Duration.ofNanos(reported.at() - lastNodeAt))
                .isBetween(Duration.ofMillis(1900), SILENCE_DETECTION_BOUND);
        assertThat(connected.session().isAlive()).isFalse();
        // The session closed its socket itself.
        assertThat(connected.connection().closedByClient.await(10, TimeUnit.SECONDS))
                .isTrue();
        connected.session().close();
    }

    @Test
    void aStreamConflictIsReportedAsReplacedAndNoConnectionOfTheDeviceStaysOpen() throws Exception {
        int index = whatsapp.connections().size();
        Connected connected = connect("replaced");
        connected
                .connection()
                .send(Node.of("stream:error", Node.of("conflict", Map.<String, Object>of("type", "replaced"))));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !connected.recording().disconnects.isEmpty());
        assertThat(connected.recording().disconnects.getFirst().reason()).isEqualTo(DisconnectReason.REPLACED);
        assertThat(connected.session().isAlive()).isFalse();
        // Cobalt reconnects by itself on a conflict; every connection it made for this session must end, or the two
        // holders of the device would keep replacing each other.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> whatsapp.connections().stream()
                        .skip(index)
                        .allMatch(connection -> connection.closedByClient.getCount() == 0));
        assertThat(connected.recording().disconnects).hasSize(1);
        connected.session().close();
    }

    @Test
    void eachAttemptBuildsANewClientFromTheStoredKeys() throws Exception {
        var instance = instances.create(tenants.create(), "fresh_client", EngineType.WHATSAPP);
        Fence fence = instances.lease(instance.id());
        byte[] firstNoiseKey = storePairedSession(instance.id(), fence);

        int index = whatsapp.connections().size();
        CobaltSession first = open(instance, fence, new Recording());
        var firstConnection = whatsapp.awaitConnection(index);
        assertThat(firstConnection.await(firstConnection.handshakeDone)).isTrue();
        assertThat(firstConnection.clientNoiseKey).isEqualTo(firstNoiseKey);
        Whatsapp firstClient = first.client();
        // Cobalt's own builder would hand this client back to the next attempt, with its in-memory keys.
        var registry = sessions.open(instance.id(), fence, () -> {});
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Whatsapp.webBuilder()
                        .serializer(registry)
                        .newConnection(registry.session())
                        .registered()
                        .filter(found -> found == firstClient)
                        .isPresent());
        first.close();

        // Meanwhile the stored keys changed (as when another replica ran the session): the next attempt must use them.
        byte[] secondNoiseKey = storePairedSession(instance.id(), fence);
        assertThat(secondNoiseKey).isNotEqualTo(firstNoiseKey);
        CobaltSession second = open(instance, fence, new Recording());
        var secondConnection = whatsapp.awaitConnection(index + 1);
        assertThat(secondConnection.await(secondConnection.handshakeDone)).isTrue();

        assertThat(second.client()).isNotSameAs(firstClient);
        assertThat(second.client().keys()).isNotSameAs(firstClient.keys());
        assertThat(second.client().keys().noiseKeyPair().publicKey()).isEqualTo(secondNoiseKey);
        assertThat(secondConnection.clientNoiseKey).isEqualTo(secondNoiseKey);
        assertThat(second.client().store().jid()).map(Jid::user).contains("5511912345678");
        second.close();
    }

    /** Stores the keys and store of a paired account; returns the noise key it will present to the server. */
    private byte[] storePairedSession(long instanceId, Fence fence) {
        var store = sessions.open(instanceId, fence, () -> {});
        Keys keys = Keys.of(store.session(), null, List.of(), ClientType.WEB);
        keys.setRegistered(true);
        Store state = Store.of(store.session(), null, List.of(), ClientType.WEB);
        state.setJid(Jid.of("5511912345678", JidServer.whatsapp(), 12, 0));
        store.serializeKeys(keys, false).join();
        store.serializeStore(state, false).join();
        store.close();
        return keys.noiseKeyPair().publicKey();
    }

    @Test
    void aSocketStillHandshakingWhenTheSessionClosesIsClosedOnceItConnects() throws Exception {
        var instance = instances.create(tenants.create(), "ghost_socket", EngineType.WHATSAPP);
        int index = whatsapp.connections().size();
        whatsapp.holdServerHello = true;
        try {
            CobaltSession session = open(instance, instances.lease(instance.id()), new Recording());
            var connection = whatsapp.awaitConnection(index);
            assertThat(connection.await(connection.clientHello)).isTrue();
            // A connecting session counts as alive, so the check after close() shows what close() did.
            assertThat(session.isAlive()).isTrue();
            session.close();
            assertThat(session.isAlive()).isFalse();

            connection.sendServerHello.countDown();
            assertThat(connection.await(connection.handshakeDone)).isTrue();
            assertThat(connection.closedByClient.await(10, TimeUnit.SECONDS))
                    .as("the socket that connected after its session closed is closed by the client")
                    .isTrue();
        } finally {
            whatsapp.holdServerHello = false;
        }
    }
}
