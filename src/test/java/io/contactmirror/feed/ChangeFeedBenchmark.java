package io.contactmirror.feed;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Catch-up page latency over a large change log: 1,000,000 changes in one instance (and as many in another), then
 * pages of 100 and 1,000 after random cursors over HTTP, one client. Not a test: {@code ./mvnw -Pbenchmark test
 * -Dtest=ChangeFeedBenchmark} (size: {@code -Dbenchmark.changes=…}); prints one {@code CATCH-UP} line per page size.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.test.context.TestPropertySource(properties = "contactmirror.rate-limit.requests-per-second=0")
class ChangeFeedBenchmark {

    private static final int CHANGES = Integer.getInteger("benchmark.changes", 1_000_000);
    private static final int REQUESTS = 500;

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    ChangeLog changeLog;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Test
    void catchUpPageLatency() throws Exception {
        var tenant = tenants.create();
        Instance feed = instances.create(tenant, "feed", EngineType.SANDBOX);
        Instance other = instances.create(tenant, "other", EngineType.SANDBOX);
        for (Instance instance : new Instance[] {feed, other}) {
            for (int done = 0; done < CHANGES; done += 100_000) {
                int count = Math.min(100_000, CHANGES - done);
                transactions.executeWithoutResult(status -> {
                    long first = changeLog.reserve(instance.id(), count);
                    jdbc.sql("""
                                    INSERT INTO changes (instance_id, seq, type, contact_id, data)
                                    SELECT :instance, :first + g - 1, 'contact.updated', g,
                                           jsonb_build_object('changes', jsonb_build_object('pushName',
                                               jsonb_build_object('old', 'Ana ' || g, 'new', 'Ana Maria ' || g)))
                                    FROM generate_series(1, :count) g""")
                            .param("instance", instance.id())
                            .param("first", first)
                            .param("count", count)
                            .update();
                });
            }
        }
        jdbc.sql("VACUUM ANALYZE changes").update();
        HttpClient http = HttpClient.newHttpClient();
        Random random = new Random(42);
        System.out.printf(
                Locale.ROOT,
                "%n=== Catch-up benchmark: %,d changes per instance, 2 instances, %d requests per page size ===%n",
                CHANGES,
                REQUESTS);
        for (int limit : new int[] {100, 1000}) {
            double[] millis = new double[REQUESTS];
            for (int i = -50; i < REQUESTS; i++) {
                long after = random.nextLong(CHANGES - limit);
                String cursor = new Cursor(feed.id(), after).encode();
                var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                + "/api/v1/contacts/changes?instanceName=feed&limit=" + limit + "&after=" + cursor))
                        .header("Authorization", tenant.bearer())
                        .build();
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new AssertionError(response.body());
                }
                if (i >= 0) {
                    millis[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(millis);
            System.out.printf(
                    Locale.ROOT,
                    "CATCH-UP limit %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    limit,
                    millis[REQUESTS / 2],
                    millis[(int) (REQUESTS * 0.99)],
                    millis[REQUESTS - 1]);
        }
    }
}
