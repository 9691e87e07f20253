package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The export of a 100,000-contact sandbox account, streamed over HTTP and parsed back (NDJSON and CSV), is exactly
 * what the list API pages through: the same contacts in the same order with the same fields and values.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "contactmirror.rate-limit.requests-per-second=0")
@Import({TestTenants.class, TestInstances.class})
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContactExportTest {

    static final int CONTACTS = Integer.getInteger("export.contacts", 100_000);

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    ApplicationEventPublisher events;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private TestTenants.TestTenant tenant;
    private List<JsonNode> listed;

    @BeforeAll
    void syncASandboxAccountAndReadItThroughTheList() throws Exception {
        tenant = tenants.create();
        send(
                "POST",
                "/api/v1/instances",
                "{\"instanceName\":\"big\",\"engine\":\"sandbox\",\"sandbox\":{\"seed\":3,\"contacts\":" + CONTACTS
                        + ",\"groups\":20}}");
        send("POST", "/api/v1/instances/big/connect", null);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        send("POST", "/api/v1/instances/big/sandbox/scan", null).statusCode() == 202);
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> json.readTree(
                                send("GET", "/api/v1/instances/big", null).body())
                        .at("/instance/syncState")
                        .asString()
                        .equals("SYNCED"));
        long instanceId = json.readTree(
                        send("GET", "/api/v1/instances/big", null).body())
                .at("/instance/id")
                .asLong();
        // Text that CSV must quote, an empty text, and CRM fields with JSON.
        events.publishEvent(new InstanceDataEvent.ContactsReceived(
                instanceId,
                instances.lease(instanceId),
                List.of(new ContactRecord(
                        "5511900000001@s.whatsapp.net", null, "Ana \"Aninha\", Jr.", "Ana\r\nMaria", "", null, true))));
        long ana = json.readTree(send("GET", "/api/v1/contacts/lookup?instanceName=big&phone=5511900000001", null)
                        .body())
                .at("/contact/id")
                .asLong();
        var patch = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/contacts/" + ana))
                .header("Authorization", tenant.bearer())
                .header("Content-Type", "application/merge-patch+json")
                .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofString(
                                "{\"customData\":{\"tier\":\"gold\",\"tags\":[\"a,b\"]},\"notes\":\"line 1\\nline 2\"}"))
                .build();
        assertThat(http.send(patch, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        // Every page of the list, several at a time (deep pages are the slow ones), then in page order.
        long total = json.readTree(send("GET", "/api/v1/contacts?instanceName=big&includeGroups=true&limit=100", null)
                        .body())
                .get("total")
                .asLong();
        int pages = (int) ((total + 99) / 100);
        listed = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<JsonNode>> bodies = new ArrayList<>();
            for (int page = 1; page <= pages; page++) {
                String path = "/api/v1/contacts?instanceName=big&includeGroups=true&limit=100&page=" + page;
                bodies.add(
                        pool.submit(() -> json.readTree(send("GET", path, null).body())));
            }
            for (var body : bodies) {
                body.get().get("contacts").forEach(listed::add);
            }
        }
        assertThat(listed).hasSize((int) total).hasSizeGreaterThanOrEqualTo(CONTACTS);
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", tenant.bearer())
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<InputStream> export(String query) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/contacts/export?instanceName=big&includeGroups=true" + query))
                .header("Authorization", tenant.bearer())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void ndjsonParsesBackToExactlyTheListedContacts() throws Exception {
        var response = export("&format=ndjson");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
        List<JsonNode> exported = new ArrayList<>();
        try (var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                exported.add(json.readTree(line));
            }
        }
        assertSameContacts(exported);
    }

    @Test
    void csvParsesBackToExactlyTheListedContacts() throws Exception {
        var response = export("&format=csv");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<JsonNode> exported = new ArrayList<>();
        try (Reader reader = new InputStreamReader(response.body(), StandardCharsets.UTF_8)) {
            var csv = new CsvReader(reader);
            List<String> header = csv.next();
            assertThat(header).containsExactlyElementsOf(ContactExport.csvHeader());
            for (List<String> row = csv.next(); row != null; row = csv.next()) {
                exported.add(fromCsv(header, row));
            }
        }
        assertSameContacts(exported);
    }

    @Test
    void filtersLikeTheList() throws Exception {
        JsonNode searched = json.readTree(send("GET", "/api/v1/contacts?instanceName=big&q=aninha&limit=100", null)
                .body());
        var response = export("&q=aninha");
        String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body.lines().map(json::readTree).toList()).containsExactlyElementsOf(searched.get("contacts"));
        assertThat(new String(
                        export("&updatedSince=2999-01-01T00:00:00Z").body().readAllBytes(), StandardCharsets.UTF_8))
                .isEmpty();
        assertThat(export("&format=xml").statusCode()).isEqualTo(400);
        assertThat(export("&updatedSince=yesterday").statusCode()).isEqualTo(400);
    }

    private void assertSameContacts(List<JsonNode> exported) {
        assertThat(exported).hasSameSizeAs(listed);
        for (int i = 0; i < listed.size(); i++) {
            if (!normalized(exported.get(i)).equals(normalized(listed.get(i)))) {
                assertThat(normalized(exported.get(i)).toString())
                        .as("contact #" + i)
                        .isEqualTo(normalized(listed.get(i)).toString());
            }
        }
    }

    private JsonNode normalized(JsonNode node) {
        return json.readTree(node.toString());
    }

    /** A CSV row turned back into the contact's JSON, by the columns' kinds. */
    private JsonNode fromCsv(List<String> header, List<String> row) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode contact = nodes.objectNode();
        ObjectNode chat = nodes.objectNode();
        int i = 0;
        for (ContactExport.Column column : ContactExport.CONTACT) {
            if (column.name().equals("chat")) {
                for (ContactExport.Column chatColumn : ContactExport.CHAT) {
                    chat.set(chatColumn.name(), value(chatColumn.kind(), row.get(i++)));
                }
                contact.set("chat", chat.get("id").isNull() ? nodes.nullNode() : chat);
            } else {
                contact.set(column.name(), value(column.kind(), row.get(i++)));
            }
        }
        assertThat(i).isEqualTo(header.size());
        return contact;
    }

    private JsonNode value(ContactExport.Kind kind, String text) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (text == null) {
            return nodes.nullNode();
        }
        return switch (kind) {
            case NUMBER -> nodes.numberNode(Long.parseLong(text));
            case BOOLEAN -> nodes.booleanNode(Boolean.parseBoolean(text));
            case JSON -> json.readTree(text);
            case TEXT, INSTANT -> nodes.stringNode(text);
        };
    }

    /** RFC 4180 reader: quoted fields (with doubled quotes and line breaks), CRLF rows; an unquoted empty field is null. */
    static final class CsvReader {
        private final Reader reader;
        private int peeked = -2;

        CsvReader(Reader reader) {
            this.reader = new java.io.BufferedReader(reader, 1 << 16);
        }

        private int read() throws IOException {
            if (peeked != -2) {
                int c = peeked;
                peeked = -2;
                return c;
            }
            return reader.read();
        }

        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            while (true) {
                StringBuilder field = new StringBuilder();
                boolean quoted = false;
                if (c == '"') {
                    quoted = true;
                    while (true) {
                        c = read();
                        if (c == -1) {
                            throw new IOException("unterminated quoted field");
                        }
                        if (c == '"') {
                            int after = read();
                            if (after == '"') {
                                field.append('"');
                            } else {
                                c = after;
                                break;
                            }
                        } else {
                            field.append((char) c);
                        }
                    }
                } else {
                    while (c != ',' && c != '\r' && c != '\n' && c != -1) {
                        field.append((char) c);
                        c = read();
                    }
                }
                fields.add(quoted || !field.isEmpty() ? field.toString() : null);
                if (c == ',') {
                    c = read();
                    continue;
                }
                if (c == '\r') {
                    c = read();
                    if (c != '\n') {
                        throw new IOException("CR without LF");
                    }
                }
                if (c == '\n' || c == -1) {
                    return fields;
                }
                throw new IOException("unexpected character after a field: " + (char) c);
            }
        }
    }
}
