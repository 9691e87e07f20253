package io.contactmirror.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.InstanceService;
import io.contactmirror.support.ReplicaCluster;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.tenant.TenantService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Two replicas on one PostgreSQL: a replica that dies in the middle of deliveries (its requests are on the wire, it
 * can no longer record anything) loses none of them; the other replica takes its claims over once they run out and
 * delivers everything, in order per contact.
 */
class WebhookReplicaFailoverTest {

    ReplicaCluster cluster;
    WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        cluster = ReplicaCluster.start();
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        cluster.close();
    }

    private ConfigurableApplicationContext startReplica(String name) {
        return cluster.startReplica(
                name,
                "--contactmirror.webhooks.allow-http=true",
                "--contactmirror.webhooks.allow-private-targets=true",
                "--contactmirror.webhooks.poll-interval=PT0.05S",
                "--contactmirror.webhooks.initial-backoff=PT0.1S",
                "--contactmirror.webhooks.max-backoff=PT0.5S",
                "--contactmirror.webhooks.connect-timeout=PT1S",
                "--contactmirror.webhooks.read-timeout=PT1S",
                "--contactmirror.webhooks.claim-timeout=PT3S");
    }

    @Test
    void aReplicaKilledMidDeliveryLosesNothing() throws Exception {
        CountDownLatch held = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        // The first three requests (the first change of each contact) hang until released: the dying replica has
        // them on the wire and several more claimed behind them.
        receiver.answer(n -> {
            if (n <= 3) {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            return 200;
        });
        var doomed = startReplica("replica-doomed");
        var onboarded = doomed.getBean(TenantService.class).onboard("failover", "Failover", "f@example.com", null);
        var principal = new TenantPrincipal(
                null, onboarded.tenant().getId(), onboarded.owner().getId(), null, Scope.all());
        long instanceId = doomed.getBean(InstanceService.class)
                .create(principal, "shop", null, EngineType.SANDBOX, null)
                .id();
        String secret = doomed.getBean(WebhookService.class)
                .create(principal, new WebhookService.Settings(receiver.url(), null, null, null, null))
                .secret();

        ChangeLog changeLog = doomed.getBean(ChangeLog.class);
        TransactionTemplate transactions = doomed.getBean(TransactionTemplate.class);
        Map<Long, List<String>> expectedByContact = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            long contact = 100 + i % 3;
            var data = JsonNodeFactory.instance.objectNode();
            data.putObject("changes").putObject("pushName").put("old", "n" + i).put("new", "n" + (i + 1));
            long seq = transactions.execute(
                    status -> changeLog.append(instanceId, ChangeType.CONTACT_UPDATED, contact, data, null));
            expectedByContact.computeIfAbsent(contact, c -> new ArrayList<>()).add("chg_" + instanceId + "_" + seq);
        }
        assertThat(held.await(30, TimeUnit.SECONDS))
                .as("three deliveries on the wire")
                .isTrue();

        // The replica dies: it can no longer write anything (its pool is gone), then it goes away entirely.
        ((HikariDataSource) doomed.getBean(DataSource.class)).close();
        doomed.close();
        release.countDown();

        var survivor = startReplica("replica-survivor");
        List<String> all =
                expectedByContact.values().stream().flatMap(List::stream).toList();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> new LinkedHashSet<>(receiver.accepted().stream()
                                .map(WebhookReceiver.Received::id)
                                .toList())
                        .containsAll(all));

        List<WebhookReceiver.Received> accepted = receiver.accepted();
        assertThat(accepted)
                .allSatisfy(r -> assertThat(WebhookReceiver.verify(secret, r)).isTrue());
        for (var entry : expectedByContact.entrySet()) {
            // First arrival of each change, in order per contact; the held ones may arrive twice (at-least-once).
            List<String> firstArrivals = accepted.stream()
                    .map(WebhookReceiver.Received::id)
                    .filter(entry.getValue()::contains)
                    .distinct()
                    .toList();
            assertThat(firstArrivals).as("contact " + entry.getKey()).containsExactlyElementsOf(entry.getValue());
        }
        assertThat(accepted.size())
                .as("nothing duplicated beyond the three that were on the wire")
                .isLessThanOrEqualTo(all.size() + 3);
        JdbcClient jdbc = survivor.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE status = 'DELIVERED'")
                                .query(Long.class)
                                .single()
                        == all.size());
    }
}
