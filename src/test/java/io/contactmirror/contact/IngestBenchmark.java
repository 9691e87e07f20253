package io.contactmirror.contact;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Ingest through the public path: a sandbox account is created and scanned over HTTP, and the clock runs until the
 * instance reports {@code SYNCED}. Prints contacts/s and the heap seen while it synced. Run with
 * {@code ./mvnw -Pbenchmark test -Dtest=IngestBenchmark -Dbenchmark.ingest=1000000}.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"contactmirror.rate-limit.requests-per-second=0", "contactmirror.sandbox.batch-delay=PT0S", "contactmirror.sandbox.batch-size=5000"})
class IngestBenchmark {

    private static final int CONTACTS = Integer.getInteger("benchmark.ingest", 1_000_000);
    private static final long SEED = Long.getLong("benchmark.seed", 42);

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Test
    void ingest() throws Exception {
        var tenant = tenants.create();
        HttpClient http = HttpClient.newHttpClient();
        sync(http, tenant, "warmup", 10_000);
        double small = sync(http, tenant, "small", 10_000);
        double large = sync(http, tenant, "large", CONTACTS);
        System.out.printf(Locale.ROOT, "ingest: 10,000 contacts in %.3f s; %,d contacts in %.1f s = %,.0f contacts/s%n",
                small, CONTACTS, large, CONTACTS / large);
    }

    private double sync(HttpClient http, TestTenants.TestTenant tenant, String name, int contacts) throws Exception {
        send(http, tenant, "POST", "/api/v1/instances", """
                {"instanceName":"%s","engine":"sandbox","sandbox":{"seed":%d,"contacts":%d,"groups":200}}"""
                .formatted(name, SEED, contacts));
        send(http, tenant, "POST", "/api/v1/instances/" + name + "/connect", null);
        while (!send(http, tenant, "GET", "/api/v1/instances/" + name, null).contains("\"status\":\"PAIRING\"")) {
            Thread.sleep(20);
        }
        AtomicLong maxHeap = new AtomicLong();
        var memory = ManagementFactory.getMemoryMXBean();
        long started = System.nanoTime();
        send(http, tenant, "POST", "/api/v1/instances/" + name + "/sandbox/scan", null);
        while (!send(http, tenant, "GET", "/api/v1/instances/" + name, null).contains("\"syncState\":\"SYNCED\"")) {
            maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            Thread.sleep(50);
            if (System.nanoTime() - started > Duration.ofMinutes(30).toNanos()) {
                throw new IllegalStateException("not synced after 30 minutes");
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "sync %s: %,d contacts in %.3f s = %,.0f contacts/s, max heap used while syncing %,d MiB%n",
                name, contacts, seconds, contacts / seconds, maxHeap.get() >> 20);
        return seconds;
    }

    private String send(HttpClient http, TestTenants.TestTenant tenant, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", tenant.bearer())
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
