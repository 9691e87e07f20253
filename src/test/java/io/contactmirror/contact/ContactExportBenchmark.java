package io.contactmirror.contact;

import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Export rate at scale: 1,000,000 contacts (a third with a chat, CRM fields on some) written straight into the
 * tables, then exported over HTTP as NDJSON and CSV while the client reads every byte. Not a test: run it with
 * {@code ./mvnw -Pbenchmark test -Dtest=ContactExportBenchmark} (size: {@code -Dbenchmark.export=…}); it prints
 * one {@code EXPORT} line per format.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.test.context.TestPropertySource(properties = "contactmirror.rate-limit.requests-per-second=0")
class ContactExportBenchmark {

    private static final int SIZE = Integer.getInteger("benchmark.export", 1_000_000);

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    JdbcClient jdbc;

    @Test
    void exportRate() throws Exception {
        var tenant = tenants.create();
        Instance instance = instances.create(tenant, "export", EngineType.SANDBOX);
        long started = System.nanoTime();
        jdbc.sql("""
                        INSERT INTO contacts (instance_id, jid, phone, phone_key, push_name, full_name, first_name, display_name,
                                              sort_name, search_text, assigned_user_id, funnel_stage_id, custom_data, notes)
                        SELECT :instance, '55119' || lpad(g::text, 8, '0') || '@s.whatsapp.net', '55119' || lpad(g::text, 8, '0'),
                               '55119' || lpad(g::text, 8, '0'), 'Push ' || g, 'Maria Conceição ' || g, 'Maria',
                               'Maria Conceição ' || g, 'maria conceicao ' || g, 'maria conceicao ' || g || ' 55119' || lpad(g::text, 8, '0'),
                               CASE WHEN g % 10 = 0 THEN 'user-' || (g % 7) END, CASE WHEN g % 10 = 0 THEN 'won' END,
                               CASE WHEN g % 10 = 0 THEN '{"tier":"gold","tags":["a","b"]}'::jsonb ELSE '{}'::jsonb END,
                               CASE WHEN g % 50 = 0 THEN 'called, "will" buy' || E'\\n' || 'next week' END
                        FROM generate_series(1, :size) g""").param("instance", instance.id()).param("size", SIZE).update();
        jdbc.sql("""
                        INSERT INTO chats (instance_id, jid, name, last_message_text, last_message_at, unread_count)
                        SELECT :instance, '55119' || lpad(g::text, 8, '0') || '@s.whatsapp.net', NULL, 'Olá, tudo bem? ' || g,
                               now() - g * interval '1 second', g % 5
                        FROM generate_series(1, :size, 3) g""").param("instance", instance.id()).param("size", SIZE).update();
        jdbc.sql("VACUUM ANALYZE contacts").update();
        jdbc.sql("VACUUM ANALYZE chats").update();
        System.out.printf(
                Locale.ROOT,
                "%n=== Export benchmark: %,d contacts loaded in %.1f s ===%n",
                SIZE,
                (System.nanoTime() - started) / 1e9);

        HttpClient http = HttpClient.newHttpClient();
        for (String format : new String[] {"ndjson", "csv", "ndjson", "csv"}) {
            var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/v1/contacts/export?instanceName=export&format=" + format))
                    .header("Authorization", tenant.bearer())
                    .build();
            long t0 = System.nanoTime();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long bytes = 0;
            long lines = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = response.body()) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "EXPORT %s: status %d, %,d lines, %,d MB in %.2f s = %,.0f contacts/s%n",
                    format,
                    response.statusCode(),
                    lines,
                    bytes >> 20,
                    seconds,
                    SIZE / seconds);
        }
        Runtime runtime = Runtime.getRuntime();
        System.out.printf(
                Locale.ROOT,
                "heap used after the exports: %,d MB%n",
                (runtime.totalMemory() - runtime.freeMemory()) >> 20);
    }
}
