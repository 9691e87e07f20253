package io.contactmirror.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The live stream: resumes with Last-Event-ID, then follows commits; heartbeats; a bounded number per token. */
@FeedTest
class EventStreamTest {

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
    EventStreams streams;

    @Autowired
    io.contactmirror.changelog.ChangeNotifier notifier;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    TestTenants.TestTenant tenant;
    Instance shop;

    @BeforeEach
    void instance() {
        tenant = tenants.create();
        shop = instances.create(tenant, "shop", EngineType.SANDBOX);
    }

    void append(ChangeType type, int count) {
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < count; i++) {
                changeLog.append(
                        shop.id(),
                        type,
                        7L,
                        JsonNodeFactory.instance.objectNode().put("n", i),
                        null);
            }
        });
    }

    record Event(String id, String type, JsonNode data) {}

    /** An open stream: its lines are read on a virtual thread into a queue; events are parsed from them. */
    final class Stream implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            Thread.ofVirtual().start(() -> {
                try (var reader = new java.io.BufferedReader(
                        new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException ex) {
                    // closed by the test
                }
                lines.add("<end>");
            });
        }

        Event next() throws InterruptedException {
            String id = null;
            String type = null;
            StringBuilder data = new StringBuilder();
            while (true) {
                String line = lines.poll(20, TimeUnit.SECONDS);
                assertThat(line).as("an event within 20 s").isNotNull().isNotEqualTo("<end>");
                if (line.isEmpty()) {
                    if (type != null) {
                        return new Event(id, type, json.readTree(data.toString()));
                    }
                } else if (line.startsWith("id:")) {
                    id = line.substring(3);
                } else if (line.startsWith("event:")) {
                    type = line.substring(6);
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }
        }

        boolean sawHeartbeat() throws InterruptedException {
            for (String line = lines.poll(5, TimeUnit.SECONDS); line != null; line = lines.poll(5, TimeUnit.SECONDS)) {
                if (line.startsWith(":heartbeat")) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }

    HttpResponse<InputStream> open(String query, String lastEventId) throws Exception {
        var request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/events?instanceName=shop" + query))
                .header("Authorization", tenant.bearer())
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    Stream stream(String query, String lastEventId) throws Exception {
        HttpResponse<InputStream> response = open(query, lastEventId);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        return new Stream(response);
    }

    /** A stream opened once the server noticed that the test's earlier streams were closed (slots are freed then). */
    Stream streamWhenFree(String query, String lastEventId) throws Exception {
        HttpResponse<InputStream>[] opened = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            opened[0] = open(query, lastEventId);
            if (opened[0].statusCode() == 429) {
                opened[0].body().close();
                return false;
            }
            return true;
        });
        assertThat(opened[0].statusCode()).isEqualTo(200);
        return new Stream(opened[0]);
    }

    String cursorAfter(int limit) throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                + "/api/v1/contacts/changes?instanceName=shop&limit=" + limit))
                        .header("Authorization", tenant.bearer())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body()).get("nextCursor").asString();
    }

    @Test
    void resumingWithLastEventIdDeliversExactlyTheMissedEventsThenLiveOnes() throws Exception {
        append(ChangeType.CONTACT_UPDATED, 5);
        String seenTwo = cursorAfter(2);
        try (Stream stream = stream("", seenTwo)) {
            List<Long> sequences = new ArrayList<>();
            String lastId = null;
            for (int i = 0; i < 3; i++) {
                Event event = stream.next();
                sequences.add(event.data().get("sequence").asLong());
                assertThat(event.type()).isEqualTo("contact.updated");
                assertThat(event.data().get("instanceName").asString()).isEqualTo("shop");
                lastId = event.id();
            }
            assertThat(sequences).containsExactly(3L, 4L, 5L);
            assertThat(lastId).isEqualTo(cursorAfter(5));
            append(ChangeType.CONTACT_CREATED, 2);
            assertThat(stream.next().data().get("sequence").asLong()).isEqualTo(6);
            assertThat(stream.next().data().get("sequence").asLong()).isEqualTo(7);
            assertThat(stream.sawHeartbeat())
                    .as("a heartbeat comment while idle")
                    .isTrue();
        }
        // The query parameter is the same position; without any, the stream starts with the next change.
        try (Stream byQuery = streamWhenFree("&after=" + seenTwo, null);
                Stream fromNow = streamWhenFree("", null)) {
            assertThat(byQuery.next().data().get("sequence").asLong()).isEqualTo(3);
            append(ChangeType.CONTACT_DELETED, 1);
            assertThat(fromNow.next().data().get("sequence").asLong()).isEqualTo(8);
        }
    }

    @Test
    void typesFilterTheStreamAndIdsStillResumeCorrectly() throws Exception {
        try (Stream stream = stream("&types=contact.deleted,instance.status_changed", null)) {
            append(ChangeType.CONTACT_UPDATED, 3);
            append(ChangeType.CONTACT_DELETED, 1);
            Event deleted = stream.next();
            assertThat(deleted.type()).isEqualTo("contact.deleted");
            assertThat(deleted.data().get("sequence").asLong()).isEqualTo(4);
            assertThat(deleted.id()).isEqualTo(cursorAfter(4));
        }
        assertThat(open("&types=contact.renamed", null).statusCode()).isEqualTo(400);
        assertThat(open("", "garbage").statusCode()).isEqualTo(400);
    }

    @Test
    void streamsEndCleanlyWhenTheServerStops() throws Exception {
        try (Stream stream = stream("", null)) {
            streams.stop();
            try {
                String line;
                do {
                    line = stream.lines.poll(10, TimeUnit.SECONDS);
                } while (line != null && !line.equals("<end>"));
                assertThat(line).as("the stream ended").isEqualTo("<end>");
            } finally {
                streams.start();
            }
        }
    }

    /** The listening connection is killed: it is reopened, and commits wake subscribers (and streams) again. */
    @Test
    void wakeUpsSurviveALostListeningConnection() throws Exception {
        var woken = new java.util.concurrent.Semaphore(0);
        var anyInstance = new LinkedBlockingQueue<Long>();
        try (Stream stream = stream("", null);
                var subscription = notifier.subscribe(shop.id(), woken::release);
                var all = notifier.subscribeAll(anyInstance::add)) {
            int listener = jdbc.sql("SELECT pid FROM pg_stat_activity WHERE application_name = ?")
                    .param("contact-mirror-change-notifier")
                    .query(Integer.class)
                    .single();
            jdbc.sql("SELECT pg_terminate_backend(?)")
                    .param(listener)
                    .query(Boolean.class)
                    .single();
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND pid <> ?")
                                            .param("contact-mirror-change-notifier")
                                            .param(listener)
                                            .query(Integer.class)
                                            .single()
                                    == 1);
            // Subscribers are woken when the connection breaks and again once it listens: notifications may have been
            // missed.
            assertThat(woken.tryAcquire(2, 10, TimeUnit.SECONDS))
                    .as("woken when the connection broke and when it listens again")
                    .isTrue();
            woken.drainPermits();
            anyInstance.clear();
            append(ChangeType.CONTACT_CREATED, 1);
            assertThat(anyInstance.poll(5, TimeUnit.SECONDS))
                    .as("listeners of every instance hear which one changed")
                    .isEqualTo(shop.id());
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS))
                    .as("a notification after the commit (the poll backstop is 10 s)")
                    .isTrue();
            assertThat(stream.next().type()).isEqualTo("contact.created");
        }
    }

    @Test
    void aTokenHoldsAtMostTheConfiguredNumberOfStreams() throws Exception {
        try (Stream first = stream("", null)) {
            Stream second = stream("", null);
            HttpResponse<InputStream> third = open("", null);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            JsonNode error = json.readTree(third.body().readAllBytes());
            assertThat(error.get("error_code").asString()).isEqualTo("TOO_MANY_REQUESTS");
            assertThat(error.get("error").asString()).contains("2 open event streams");
            // Another token of the tenant has its own budget.
            String other = "Bearer " + tenants.token(tenant, io.contactmirror.tenant.Scope.all(), null, null);
            var request = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/v1/events?instanceName=shop"))
                    .header("Authorization", other)
                    .build();
            HttpResponse<InputStream> ofOther = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(ofOther.statusCode()).isEqualTo(200);
            ofOther.body().close();
            // A closed stream frees its slot once the server notices (at the latest with its next heartbeat).
            second.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                HttpResponse<InputStream> again = open("", null);
                again.body().close();
                return again.statusCode() == 200;
            });
        }
    }
}
