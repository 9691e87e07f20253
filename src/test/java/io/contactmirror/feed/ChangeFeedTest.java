package io.contactmirror.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeRecord;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The catch-up API over a change log that concurrent writers fill: gap-free, in order, expiring with retention. */
@FeedTest
class ChangeFeedTest {

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

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    TestTenants.TestTenant tenant;
    Instance shop;

    @BeforeEach
    void instance() {
        tenant = tenants.create();
        shop = instances.create(tenant, "shop", EngineType.SANDBOX);
    }

    HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", bearer)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode page(String query) throws Exception {
        HttpResponse<String> response = get("/api/v1/contacts/changes?instanceName=shop" + query, tenant.bearer());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    void append(int count) {
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < count; i++) {
                changeLog.append(
                        shop.id(),
                        ChangeType.CONTACT_UPDATED,
                        (long) i,
                        JsonNodeFactory.instance.objectNode().put("n", i),
                        "user-1");
            }
        });
    }

    /**
     * Writers append single changes and bulk ranges (reserve + set-based insert) in concurrent transactions while a
     * client pages through with its cursor; what it read is exactly the change log, each change once, in order.
     */
    @Test
    void pagingWithCursorsWhileWritersCommitReadsTheChangeLogExactly() throws Exception {
        int writers = 4;
        int transactionsPerWriter = 150;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(pool.submit(() -> {
                for (int t = 0; t < transactionsPerWriter; t++) {
                    if (t % 10 == 0) {
                        transactions.executeWithoutResult(status -> {
                            long first = changeLog.reserve(shop.id(), 20);
                            jdbc.sql("""
                                            INSERT INTO changes (instance_id, seq, type, contact_id, data)
                                            SELECT :instance, :first + g - 1, 'contact.created', g, jsonb_build_object('bulk', g)
                                            FROM generate_series(1, 20) g""")
                                    .param("instance", shop.id())
                                    .param("first", first)
                                    .update();
                        });
                    } else {
                        append(1 + (writer + t) % 3);
                    }
                }
            }));
        }
        List<Long> read = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String cursor = null;
        boolean writersDone = false;
        while (true) {
            JsonNode page = page("&limit=97" + (cursor == null ? "" : "&after=" + cursor));
            page.get("changes").forEach(change -> {
                read.add(change.get("sequence").asLong());
                ids.add(change.get("id").asString());
            });
            assertThat(page.get("nextCursor").asString()).isNotBlank();
            cursor = page.get("nextCursor").asString();
            if (writersDone && !page.get("hasMore").asBoolean()) {
                break;
            }
            writersDone = running.stream().allMatch(Future::isDone);
        }
        for (Future<?> writer : running) {
            writer.get();
        }
        pool.shutdown();
        long total = changeLog.lastSequence(shop.id());
        assertThat(total).isGreaterThan(2_000);
        assertThat(read)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
        List<ChangeRecord> log = changeLog.after(shop.id(), 0, (int) total);
        assertThat(ids)
                .containsExactlyElementsOf(log.stream()
                        .map(r -> "chg_" + shop.id() + "_" + r.seq())
                        .toList());

        // An empty page still hands out a cursor, which resumes exactly there later.
        JsonNode empty = page("&after=" + cursor);
        assertThat(empty.get("changes")).isEmpty();
        assertThat(empty.get("hasMore").asBoolean()).isFalse();
        append(1);
        JsonNode later = page("&after=" + empty.get("nextCursor").asString());
        assertThat(later.get("changes")).singleElement().satisfies(change -> {
            assertThat(change.get("sequence").asLong()).isEqualTo(total + 1);
            assertThat(change.get("type").asString()).isEqualTo("contact.updated");
            assertThat(change.get("instanceName").asString()).isEqualTo("shop");
            assertThat(change.get("actor").asString()).isEqualTo("user-1");
        });
    }

    @Test
    void withoutACursorTheFeedStartsAtTheOldestChangeAndNowAtTheNewest() throws Exception {
        append(3);
        assertThat(page("").get("changes")).hasSize(3);
        JsonNode now = page("&after=now");
        assertThat(now.get("changes")).isEmpty();
        append(2);
        assertThat(page("&after=" + now.get("nextCursor").asString()).get("changes"))
                .extracting(c -> c.get("sequence").asLong())
                .containsExactly(4L, 5L);
    }

    @Test
    void aCursorOlderThanTheRetentionIsGoneAndTheOthersStillWork() throws Exception {
        append(10);
        String atThree = page("&limit=3").get("nextCursor").asString();
        String atEight = page("&limit=8").get("nextCursor").asString();
        // Seven changes are older than the retention (30 days); the scheduled pruning removes them. It advances the
        // bound first and deletes after it, in transactions of their own: wait for both.
        jdbc.sql("UPDATE changes SET created_at = now() - interval '31 days' WHERE instance_id = ? AND seq <= 7")
                .param(shop.id())
                .update();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> changeLog.prunedThrough(shop.id()) == 7
                        && changeLog.after(shop.id(), 0, 100).size() == 3);
        assertThat(changeLog.after(shop.id(), 0, 100))
                .extracting(ChangeRecord::seq)
                .containsExactly(8L, 9L, 10L);

        HttpResponse<String> expired =
                get("/api/v1/contacts/changes?instanceName=shop&after=" + atThree, tenant.bearer());
        assertThat(expired.statusCode()).isEqualTo(410);
        JsonNode error = json.readTree(expired.body());
        assertThat(error.get("error_code").asString()).isEqualTo("CURSOR_EXPIRED");
        assertThat(error.get("error").asString()).contains("read the contact list again");
        assertThat(error.get("request_id").asString()).isNotBlank();

        assertThat(page("&after=" + atEight).get("changes"))
                .extracting(c -> c.get("sequence").asLong())
                .containsExactly(9L, 10L);
        assertThat(page("").get("changes"))
                .extracting(c -> c.get("sequence").asLong())
                .containsExactly(8L, 9L, 10L);
    }

    @Test
    void cursorsAreCheckedAndBoundToTheirInstance() throws Exception {
        append(2);
        String cursor = page("&limit=1").get("nextCursor").asString();
        instances.create(tenant, "other", EngineType.SANDBOX);
        for (String bad : List.of("nonsense", "Y20xOjQy", cursor + "x", "%00", "Y20xOjk5OTk5OToy")) {
            HttpResponse<String> response =
                    get("/api/v1/contacts/changes?instanceName=other&after=" + bad, tenant.bearer());
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(json.readTree(response.body()).get("error_code").asString())
                    .isEqualTo("VALIDATION_ERROR");
        }
        HttpResponse<String> misused =
                get("/api/v1/contacts/changes?instanceName=other&after=" + cursor, tenant.bearer());
        assertThat(misused.statusCode()).isEqualTo(400);
        assertThat(misused.body()).contains("another instance");
        String ahead = new Cursor(shop.id(), 999).encode();
        assertThat(get("/api/v1/contacts/changes?instanceName=shop&after=" + ahead, tenant.bearer())
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/contacts/changes?instanceName=shop&limit=1001", tenant.bearer())
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/contacts/changes?instanceName=nope", tenant.bearer())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void literalRoutesAreNotTakenForAContactIdAndTheIdRouteStillAnswers() throws Exception {
        assertThat(get("/api/v1/contacts/changes?instanceName=shop", tenant.bearer())
                        .statusCode())
                .isEqualTo(200);
        assertThat(get("/api/v1/contacts/export?instanceName=shop", tenant.bearer())
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> word = get("/api/v1/contacts/changez", tenant.bearer());
        assertThat(word.statusCode()).isEqualTo(400);
        assertThat(word.body()).contains("\"field\":\"id\"");
        assertThat(get("/api/v1/contacts/999999999", tenant.bearer()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aTokenOfAnotherInstanceOrWithoutTheReadScopeSeesNoChanges() throws Exception {
        append(1);
        Instance other = instances.create(tenant, "other", EngineType.SANDBOX);
        String bound = "Bearer " + tenants.token(tenant, Scope.all(), null, other.id());
        assertThat(get("/api/v1/contacts/changes?instanceName=shop", bound).statusCode())
                .isEqualTo(404);
        assertThat(get("/api/v1/events?instanceName=shop", bound).statusCode()).isEqualTo(404);
        String writeOnly = "Bearer " + tenants.token(tenant, EnumSet.of(Scope.INSTANCES_READ), null, null);
        assertThat(get("/api/v1/contacts/changes?instanceName=shop", writeOnly).statusCode())
                .isEqualTo(403);
        assertThat(get("/api/v1/events?instanceName=shop", writeOnly).statusCode())
                .isEqualTo(403);
        assertThat(get("/api/v1/contacts/export?instanceName=shop", writeOnly).statusCode())
                .isEqualTo(403);
    }
}
