package io.contactmirror.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhook delivery latency, from the commit of a change to its arrival at a local receiver, at a steady rate of
 * changes (default 1,000/s for 30 s, in transactions of 10 as the mirror writes them, over 1,000 contacts). Default
 * webhook settings except that the receiver is local (http, loopback). Not a test: run it with
 * {@code ./mvnw -Pbenchmark test -Dtest=WebhookLatencyBenchmark} ({@code -Dbenchmark.webhookRate=…},
 * {@code -Dbenchmark.webhookSeconds=…}).
 */
@IntegrationTest
@TestPropertySource(
        properties = {"contactmirror.webhooks.allow-http=true", "contactmirror.webhooks.allow-private-targets=true"})
class WebhookLatencyBenchmark {

    static final int RATE = Integer.getInteger("benchmark.webhookRate", 1_000);
    static final int SECONDS = Integer.getInteger("benchmark.webhookSeconds", 30);
    static final int PER_TRANSACTION = 10;

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    ChangeLog changeLog;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void deliveryLatencyAtASteadyRate() throws Exception {
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            receivedAt.putIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), System.nanoTime());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            TestTenants.TestTenant tenant = tenants.create();
            Instance instance = instances.create(tenant, "bench", EngineType.SANDBOX);
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            var created = mvc.perform(post("/api/v1/webhooks")
                            .header("Authorization", tenant.bearer())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"url\":\"" + url + "\"}"))
                    .andReturn()
                    .getResponse();
            assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
            assertThat((String) JsonPath.read(created.getContentAsString(), "$.webhook.id"))
                    .isNotBlank();

            SplittableRandom random = new SplittableRandom(42);
            int total = RATE * SECONDS;
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) * PER_TRANSACTION / RATE;
            long start = System.nanoTime();
            for (int written = 0; written < total; written += PER_TRANSACTION) {
                long due = start + (written / PER_TRANSACTION) * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                List<Long> seqs = transactions.execute(status -> {
                    List<Long> out = new ArrayList<>();
                    for (int i = 0; i < PER_TRANSACTION; i++) {
                        ObjectNode data = JsonNodeFactory.instance.objectNode();
                        data.putObject("changes")
                                .putObject("pushName")
                                .put("old", "a")
                                .put("new", "b" + random.nextInt());
                        out.add(changeLog.append(
                                instance.id(), ChangeType.CONTACT_UPDATED, 1L + random.nextInt(1000), data, null));
                    }
                    return out;
                });
                long committed = System.nanoTime();
                seqs.forEach(seq -> committedAt.put("chg_" + instance.id() + "_" + seq, committed));
            }
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            await().atMost(Duration.ofMinutes(5))
                    .until(() -> receivedAt.keySet().containsAll(committedAt.keySet()));

            long[] latencies = committedAt.entrySet().stream()
                    .mapToLong(e -> receivedAt.get(e.getKey()) - e.getValue())
                    .sorted()
                    .toArray();
            System.out.printf(
                    "%nWebhook latency, commit -> receiver: %,d changes at %.0f changes/s (asked %d/s, %d per transaction)%n"
                            + "  p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n%n",
                    latencies.length,
                    latencies.length / writeSeconds,
                    RATE,
                    PER_TRANSACTION,
                    percentile(latencies, 0.50),
                    percentile(latencies, 0.90),
                    percentile(latencies, 0.99),
                    latencies[latencies.length - 1] / 1e6);
            assertThat(latencies).hasSize(total);
            assertThat(Arrays.stream(latencies).min().orElseThrow()).isPositive();
        } finally {
            server.stop(0);
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
