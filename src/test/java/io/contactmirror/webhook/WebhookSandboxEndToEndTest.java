package io.contactmirror.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end: a sandbox account's live events (a renamed contact, a new contact, a LID that turns out to be a known
 * phone number) reach a real HTTP receiver as exactly the expected signed deliveries, with correct diffs, in order.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "contactmirror.webhooks.allow-http=true",
            "contactmirror.webhooks.allow-private-targets=true",
            "contactmirror.webhooks.poll-interval=PT0.05S",
            "contactmirror.webhooks.initial-backoff=PT0.1S",
            "contactmirror.webhooks.max-backoff=PT0.4S"
        })
class WebhookSandboxEndToEndTest {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    JsonMapper json;

    WebhookReceiver receiver;
    TestTenants.TestTenant tenant;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        tenant = tenants.create();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private MockHttpServletResponse call(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", tenant.bearer()))
                .andReturn()
                .getResponse();
    }

    private MockHttpServletResponse postJson(String path, String body) throws Exception {
        return call(post(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private Map<String, Object> contactByPhone(String digits) throws Exception {
        return JsonPath.read(
                call(get("/api/v1/contacts/lookup")
                                .param("instanceName", "phone")
                                .param("phone", digits))
                        .getContentAsString(),
                "$.contact");
    }

    @Test
    void sandboxEventsBecomeExactlyTheExpectedSignedDeliveries() throws Exception {
        assertThat(postJson(
                                "/api/v1/instances",
                                "{\"instanceName\":\"phone\",\"engine\":\"sandbox\",\"sandbox\":{\"seed\":3,\"contacts\":20,\"groups\":0}}")
                        .getStatus())
                .isEqualTo(201);
        call(post("/api/v1/instances/phone/connect"));
        await().atMost(PATIENCE)
                .until(() -> "PAIRING"
                        .equals(JsonPath.read(
                                call(get("/api/v1/instances/phone")).getContentAsString(), "$.instance.status")));
        call(post("/api/v1/instances/phone/sandbox/scan"));
        await().atMost(PATIENCE)
                .until(() -> "SYNCED"
                        .equals(JsonPath.read(
                                call(get("/api/v1/instances/phone")).getContentAsString(), "$.instance.syncState")));

        // Subscribed after the initial sync: only what happens from now on is delivered.
        var created = postJson(
                "/api/v1/webhooks",
                "{\"url\":\"" + receiver.url()
                        + "\",\"instanceName\":\"phone\",\"eventTypes\":[\"contact.created\",\"contact.updated\",\"contact.merged\"]}");
        assertThat(created.getStatus()).isEqualTo(201);
        String secret = JsonPath.read(created.getContentAsString(), "$.webhook.secret");

        String list = call(get("/api/v1/contacts")
                        .param("instanceName", "phone")
                        .param("limit", "20"))
                .getContentAsString();
        List<Map<String, Object>> contacts = JsonPath.read(list, "$.contacts[?(@.remoteJid =~ /.*@s.whatsapp.net/)]");
        Map<String, Object> renamed = contacts.get(0);
        Map<String, Object> mergeTarget = contacts.get(1);
        long renamedId = ((Number) renamed.get("id")).longValue();
        long targetId = ((Number) mergeTarget.get("id")).longValue();
        String renamedJid = (String) renamed.get("remoteJid");
        String targetJid = (String) mergeTarget.get("remoteJid");

        // 1. A contact changes its push name.
        assertThat(postJson(
                                "/api/v1/instances/phone/sandbox/events",
                                "{\"type\":\"contact\",\"jid\":\"" + renamedJid + "\",\"pushName\":\"Renamed Person\"}")
                        .getStatus())
                .isLessThan(300);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= 1);
        // 2. A new contact.
        assertThat(postJson(
                                "/api/v1/instances/phone/sandbox/events",
                                "{\"type\":\"contact\",\"jid\":\"4915112345678@s.whatsapp.net\",\"pushName\":\"Brand New\"}")
                        .getStatus())
                .isLessThan(300);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= 2);
        long newId = ((Number) contactByPhone("4915112345678").get("id")).longValue();
        // 3. A contact known only by its LID, then WhatsApp reveals that LID belongs to the merge target's number.
        String lid = "100000000009999@lid";
        assertThat(postJson(
                                "/api/v1/instances/phone/sandbox/events",
                                "{\"type\":\"contact\",\"jid\":\"" + lid + "\",\"pushName\":\"Hidden Number\"}")
                        .getStatus())
                .isLessThan(300);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= 3);
        assertThat(postJson(
                                "/api/v1/instances/phone/sandbox/events",
                                "{\"type\":\"mapping\",\"lid\":\"" + lid + "\",\"phone\":\"" + targetJid + "\"}")
                        .getStatus())
                .isLessThan(300);
        await().atMost(PATIENCE)
                .until(() -> receiver.accepted().stream().anyMatch(r -> r.body().contains("\"contact.merged\"")));
        Thread.sleep(500); // nothing else may follow

        List<JsonNode> bodies = new ArrayList<>();
        for (WebhookReceiver.Received received : receiver.accepted()) {
            assertThat(WebhookReceiver.verify(secret, received))
                    .as("signature of " + received.id())
                    .isTrue();
            JsonNode body = json.readTree(received.body());
            assertThat(body.get("id").asText()).isEqualTo(received.id());
            bodies.add(body);
        }
        // The merge target may also report its new LID as an update; nothing else is allowed.
        List<JsonNode> expected = bodies.stream()
                .filter(b -> !(b.get("type").asText().equals("contact.updated")
                        && b.get("contactId").asLong() == targetId
                        && b.at("/data/changes").size() == 1
                        && b.at("/data/changes").has("lid")))
                .toList();
        assertThat(expected)
                .extracting(b -> b.get("type").asText())
                .containsExactly("contact.updated", "contact.created", "contact.created", "contact.merged");
        assertThat(bodies).extracting(b -> b.get("sequence").asLong()).isSorted();

        JsonNode rename = expected.get(0);
        assertThat(rename.get("contactId").asLong()).isEqualTo(renamedId);
        assertThat(rename.at("/data/changes").propertyNames()).containsExactly("pushName");
        assertThat(rename.at("/data/changes/pushName/old").asText()).isEqualTo(String.valueOf(renamed.get("pushName")));
        assertThat(rename.at("/data/changes/pushName/new").asText()).isEqualTo("Renamed Person");
        assertThat(rename.get("actor").isNull()).isTrue();

        JsonNode fresh = expected.get(1);
        assertThat(fresh.get("contactId").asLong()).isEqualTo(newId);
        assertThat(fresh.at("/data/contact/jid").asText()).isEqualTo("4915112345678@s.whatsapp.net");
        assertThat(fresh.at("/data/contact/pushName").asText()).isEqualTo("Brand New");

        JsonNode lidContact = expected.get(2);
        assertThat(lidContact.at("/data/contact/jid").asText()).isEqualTo(lid);
        JsonNode merged = expected.get(3);
        assertThat(merged.at("/data/fromId").asLong())
                .isEqualTo(lidContact.get("contactId").asLong());
        assertThat(merged.at("/data/intoId").asLong()).isEqualTo(targetId);
        assertThat(merged.at("/data/fromJid").asText()).isEqualTo(lid);
        assertThat(merged.at("/data/intoJid").asText()).isEqualTo(targetJid);
    }
}
