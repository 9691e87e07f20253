package io.contactmirror.contact;

import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Contacts at scale: loads 1,000,000 contacts into one instance and 100,000 into each of 9 others through the real
 * mirror, then measures list, search-by-name and search-by-phone over HTTP (8 concurrent clients) next to the same
 * queries run directly on PostgreSQL. Not a test: run it with {@code ./mvnw -Pbenchmark test}; every figure uses
 * fixed seeds ({@code -Dbenchmark.seed}, default 42) and sizes ({@code -Dbenchmark.large}, {@code -Dbenchmark.small}).
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.test.context.TestPropertySource(properties = "contactmirror.rate-limit.requests-per-second=0")
class ContactsBenchmark {

    private static final long SEED = Long.getLong("benchmark.seed", 42);
    private static final int LARGE = Integer.getInteger("benchmark.large", 1_000_000);
    private static final int SMALL = Integer.getInteger("benchmark.small", 100_000);
    private static final int OTHERS = Integer.getInteger("benchmark.others", 9);
    private static final int REQUESTS = Integer.getInteger("benchmark.requests", 2_000);
    private static final int CONCURRENCY = 8;
    private static final int BATCH = 1_000;

    private static final String[] FIRST = {"Maria", "José", "Ana", "João", "Budi", "Siti", "Priya", "Rahul", "Ivan", "Olga",
        "Ahmed", "Fatima", "Wei", "Yuki", "John", "Emma", "Lucía", "Jürgen", "Chloé", "Ngozi", "प्रिया", "Иван", "محمد", "李伟"};
    private static final String[] LAST = {"Silva", "Santos", "Oliveira", "Pereira", "Wijaya", "Sari", "Sharma", "Patel",
        "Ivanov", "Petrova", "Hassan", "Wang", "Tanaka", "Smith", "Muñoz", "Müller", "Dubois", "Okafor", "Conceição", "Kumar"};
    private static final String[] COUNTRY = {"55119", "55219", "62812", "62813", "91987", "91998", "1555", "52155", "49151"};

    @LocalServerPort
    int port;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    ContactRepository contacts;

    @Autowired
    JdbcClient jdbc;

    @Test
    void contactsAtScale() throws Exception {
        var tenant = tenants.create();
        Instance large = instances.create(tenant, "large", EngineType.SANDBOX);
        long started = System.nanoTime();
        load(large.id(), LARGE, SEED);
        double largeSeconds = (System.nanoTime() - started) / 1e9;
        double smallSeconds = 0;
        for (int i = 0; i < OTHERS; i++) {
            Instance small = instances.create(tenant, "small_" + i, EngineType.SANDBOX);
            long t0 = System.nanoTime();
            load(small.id(), SMALL, SEED + i + 1);
            smallSeconds = (System.nanoTime() - t0) / 1e9;
        }
        jdbc.sql("VACUUM ANALYZE contacts").update();

        System.out.printf(Locale.ROOT, "%n=== Contact Mirror benchmark (seed %d, %d + %d x %d contacts, %d requests per scenario, concurrency %d) ===%n",
                SEED, LARGE, OTHERS, SMALL, REQUESTS, CONCURRENCY);
        System.out.printf(Locale.ROOT, "ingest: %,d contacts in %.1f s = %,.0f contacts/s; last %,d-contact sync %.1f s = %,.0f contacts/s%n",
                LARGE, largeSeconds, LARGE / largeSeconds, SMALL, smallSeconds, SMALL / smallSeconds);

        String auth = tenant.bearer();
        Random random = new Random(SEED);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(CONCURRENCY)).build();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            names.add(LAST[random.nextInt(LAST.length)].substring(0, 4).toLowerCase(Locale.ROOT) + " " );
        }
        List<Integer> pages = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            pages.add(1 + random.nextInt(200));
            phones.add(String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000)).substring(0, 6));
        }

        scenario("list (page 1..200, limit 50)", http, auth, large, i -> "page=" + pages.get(i) + "&limit=50",
                i -> {
                    // What the API runs for a list: the page, and the instance's maintained count.
                    long offset = PageOffset.of(pages.get(i));
                    contacts.load(large.id(), contacts.walk(
                            new ContactRepository.ListQuery(large.id(), null, false, null, null, offset, 51), (int) offset + 51));
                    jdbc.sql("SELECT contacts_count FROM instances WHERE id = ?").param(large.id()).query(Long.class).single();
                });
        scenario("search by name (4 letters)", http, auth, large, i -> "q=" + enc(names.get(i).strip()),
                i -> {
                    String pattern = ContactService.likePattern(names.get(i).strip());
                    var query = new ContactRepository.ListQuery(large.id(), pattern, false, null, null, 0, 51);
                    contacts.load(large.id(), contacts.walk(query, ContactService.WALK_BUDGET));
                    contacts.countSparse(query, ContactService.COUNT_CAP + 1);
                });
        scenario("search by phone (6 digits)", http, auth, large, i -> "q=" + enc(phones.get(i)),
                i -> {
                    String pattern = ContactService.likePattern(phones.get(i));
                    var query = new ContactRepository.ListQuery(large.id(), pattern, false, null, null, 0, 51);
                    contacts.load(large.id(), contacts.walk(query, ContactService.WALK_BUDGET));
                    contacts.countSparse(query, ContactService.COUNT_CAP + 1);
                });
    }

    private record PageOffset() {
        static long of(int page) {
            return (long) (page - 1) * 50;
        }
    }

    private void scenario(String name, HttpClient http, String auth, Instance instance, IntFunction<String> query,
            java.util.function.IntConsumer sql) throws Exception {
        String base = "http://localhost:" + port + "/api/v1/contacts?instanceName=" + instance.instanceName() + "&";
        Stats api = run(i -> {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + query.apply(i))).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
        });
        Stats direct = run(i -> sql.accept(i));
        System.out.printf(Locale.ROOT,
                "%-32s API p50 %6.2f ms  p99 %6.2f ms  %7.0f req/s | SQL p50 %6.2f ms  p99 %6.2f ms  %7.0f q/s | API/SQL p50 %.2f  p99 %.2f  throughput %.2f%n",
                name, api.p50, api.p99, api.throughput, direct.p50, direct.p99, direct.throughput,
                api.p50 / direct.p50, api.p99 / direct.p99, api.throughput / direct.throughput);
    }

    private record Stats(double p50, double p99, double throughput) {}

    private interface Call {
        void run(int i) throws Exception;
    }

    private static Stats run(Call call) throws Exception {
        for (int i = 0; i < Math.min(200, REQUESTS); i++) {
            call.run(i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        double[] latencies = new double[REQUESTS];
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int worker = 0; worker < CONCURRENCY; worker++) {
            int offset = worker;
            futures.add(pool.submit((Callable<Void>) () -> {
                for (int i = offset; i < REQUESTS; i += CONCURRENCY) {
                    long t0 = System.nanoTime();
                    call.run(i);
                    latencies[i] = (System.nanoTime() - t0) / 1e6;
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        return new Stats(latencies[REQUESTS / 2], latencies[(int) (REQUESTS * 0.99)], REQUESTS / seconds);
    }

    private void load(long instanceId, int count, long seed) {
        Random random = new Random(seed);
        List<ContactRecord> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < count; i++) {
            String phone = COUNTRY[random.nextInt(COUNTRY.length)] + String.format(Locale.ROOT, "%08d", i);
            String first = FIRST[random.nextInt(FIRST.length)];
            String full = first + " " + LAST[random.nextInt(LAST.length)];
            boolean saved = random.nextInt(3) > 0;
            batch.add(new ContactRecord(phone + "@s.whatsapp.net", null, first, saved ? full : null, saved ? first : null,
                    random.nextInt(20) == 0 ? full + " Ltda" : null, saved));
            if (batch.size() == BATCH) {
                events.publishEvent(new InstanceDataEvent.ContactsReceived(instanceId, instances.lease(instanceId), List.copyOf(batch)));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            events.publishEvent(new InstanceDataEvent.ContactsReceived(instanceId, instances.lease(instanceId), List.copyOf(batch)));
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
