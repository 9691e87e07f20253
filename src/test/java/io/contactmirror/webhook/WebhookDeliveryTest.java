package io.contactmirror.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.time.Duration;
import java.util.LinkedHashMap;
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
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes appended to the change log reach a real HTTP receiver as signed Standard Webhooks deliveries, in order per
 * contact, through failures, past the retry horizon (the subscription is then disabled with a reason) and on replay.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "contactmirror.webhooks.allow-http=true",
            "contactmirror.webhooks.allow-private-targets=true",
            "contactmirror.webhooks.poll-interval=PT0.05S",
            "contactmirror.webhooks.initial-backoff=PT0.1S",
            "contactmirror.webhooks.max-backoff=PT0.4S",
            "contactmirror.webhooks.retry-for=PT8S",
            "contactmirror.webhooks.connect-timeout=PT1S",
            "contactmirror.webhooks.read-timeout=PT2S",
            "contactmirror.webhooks.claim-timeout=PT5S"
        })
class WebhookDeliveryTest {

    static final Duration PATIENCE = Duration.ofSeconds(30);

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

    @Autowired
    JsonMapper json;

    WebhookReceiver receiver;
    TestTenants.TestTenant tenant;
    Instance instance;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        tenant = tenants.create();
        instance = instances.create(tenant, "hooks", EngineType.SANDBOX);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private MockHttpServletResponse call(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + tenant.token()))
                .andReturn()
                .getResponse();
    }

    private MockHttpServletResponse createWebhook(String body) throws Exception {
        return call(
                post("/api/v1/webhooks").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** Creates a subscription to the receiver and returns (id, secret). */
    private String[] subscribe(String extraJson) throws Exception {
        MockHttpServletResponse created = createWebhook("{\"url\":\"" + receiver.url() + "\"" + extraJson + "}");
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        String body = created.getContentAsString();
        return new String[] {JsonPath.read(body, "$.webhook.id"), JsonPath.read(body, "$.webhook.secret")};
    }

    private long append(ChangeType type, Long contactId, JsonNode data) {
        return transactions.execute(status -> changeLog.append(instance.id(), type, contactId, data, null));
    }

    private static ObjectNode renamed(String from, String to) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.putObject("changes").putObject("pushName").put("old", from).put("new", to);
        return data;
    }

    private static ObjectNode createdContact(long id, String jid) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.putObject("contact").put("id", id).put("jid", jid).put("isGroup", false);
        return data;
    }

    private String eventId(long seq) {
        return "chg_" + instance.id() + "_" + seq;
    }

    @Test
    void appendedChangesArriveSignedOncePerSubscriptionInOrderPerContact() throws Exception {
        append(ChangeType.CONTACT_CREATED, 1L, createdContact(1, "before@s.whatsapp.net")); // before the subscription
        String[] all = subscribe("");
        WebhookReceiver updatesOnly = new WebhookReceiver();
        try {
            MockHttpServletResponse filtered = createWebhook("{\"url\":\"" + updatesOnly.url()
                    + "\",\"eventTypes\":[\"contact.updated\"],\"instanceName\":\"hooks\"}");
            assertThat(filtered.getStatus()).isEqualTo(201);
            String filteredSecret = JsonPath.read(filtered.getContentAsString(), "$.webhook.secret");

            long s1 = append(ChangeType.CONTACT_CREATED, 10L, createdContact(10, "5511@s.whatsapp.net"));
            long s2 = append(ChangeType.CONTACT_UPDATED, 10L, renamed("Ana", "Ana Maria"));
            long s3 = append(ChangeType.CONTACT_CREATED, 11L, createdContact(11, "5522@s.whatsapp.net"));
            long s4 = append(ChangeType.CONTACT_UPDATED, 10L, renamed("Ana Maria", "Ana M."));
            ObjectNode status = JsonNodeFactory.instance
                    .objectNode()
                    .put("status", "CONNECTED")
                    .put("previousStatus", "CONNECTING");
            long s5 = append(ChangeType.INSTANCE_STATUS_CHANGED, null, status);

            await().atMost(PATIENCE)
                    .until(() -> receiver.accepted().size() >= 5
                            && updatesOnly.accepted().size() >= 2);
            List<WebhookReceiver.Received> got = receiver.accepted();
            assertThat(got)
                    .extracting(WebhookReceiver.Received::id)
                    .containsExactlyInAnyOrder(eventId(s1), eventId(s2), eventId(s3), eventId(s4), eventId(s5));
            assertThat(got)
                    .allSatisfy(r -> assertThat(WebhookReceiver.verify(all[1], r))
                            .as("signature of " + r.id())
                            .isTrue());
            assertThat(got)
                    .allSatisfy(r -> assertThat(WebhookReceiver.verify(filteredSecret, r))
                            .isFalse());
            // Contact 10's changes in their order.
            assertThat(got.stream()
                            .map(WebhookReceiver.Received::id)
                            .filter(id -> List.of(eventId(s1), eventId(s2), eventId(s4))
                                    .contains(id)))
                    .containsExactly(eventId(s1), eventId(s2), eventId(s4));

            Map<String, JsonNode> bodies = new LinkedHashMap<>();
            for (WebhookReceiver.Received r : got) {
                bodies.put(r.id(), json.readTree(r.body()));
            }
            JsonNode update = bodies.get(eventId(s2));
            assertThat(update.get("id").asText()).isEqualTo(eventId(s2));
            assertThat(update.get("type").asText()).isEqualTo("contact.updated");
            assertThat(update.get("sequence").asLong()).isEqualTo(s2);
            assertThat(update.get("instanceName").asText()).isEqualTo("hooks");
            assertThat(update.get("contactId").asLong()).isEqualTo(10);
            assertThat(update.at("/data/changes/pushName/old").asText()).isEqualTo("Ana");
            assertThat(update.at("/data/changes/pushName/new").asText()).isEqualTo("Ana Maria");
            assertThat(bodies.get(eventId(s5)).at("/data/status").asText()).isEqualTo("CONNECTED");
            assertThat(bodies.get(eventId(s5)).get("contactId").isNull()).isTrue();

            assertThat(updatesOnly.accepted())
                    .extracting(WebhookReceiver.Received::id)
                    .containsExactly(eventId(s2), eventId(s4));
            assertThat(updatesOnly.accepted())
                    .allSatisfy(r -> assertThat(WebhookReceiver.verify(filteredSecret, r))
                            .isTrue());

            // Exactly once each here (nothing failed), and the log says so.
            Thread.sleep(300); // a short quiet period: nothing more may arrive
            assertThat(receiver.requests()).hasSize(5);
            String log = call(get("/api/v1/webhooks/" + all[0] + "/deliveries")).getContentAsString();
            assertThat((Integer) JsonPath.read(log, "$.total")).isEqualTo(5);
            assertThat((List<String>) JsonPath.read(log, "$.deliveries[*].status"))
                    .containsOnly("DELIVERED");
            assertThat((List<Integer>) JsonPath.read(log, "$.deliveries[*].lastStatusCode"))
                    .containsOnly(204);
            assertThat((List<Integer>) JsonPath.read(log, "$.deliveries[*].attempts"))
                    .containsOnly(1);
        } finally {
            updatesOnly.close();
        }
    }

    @Test
    void aReceiverThatFailsFiveTimesThenRecoversGetsEverythingInOrder() throws Exception {
        receiver.answer(n -> n <= 5 ? 500 : 200);
        String[] hook = subscribe("");
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            expected.add(eventId(append(ChangeType.CONTACT_UPDATED, 20L, renamed("v" + i, "v" + (i + 1)))));
        }
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= expected.size());
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Received::id).containsExactlyElementsOf(expected);
        // All five failures were attempts of the first change: the later ones waited for it.
        assertThat(receiver.requests().subList(0, 6))
                .extracting(WebhookReceiver.Received::id)
                .containsOnly(expected.getFirst());
        assertThat(receiver.requests())
                .allSatisfy(r -> assertThat(WebhookReceiver.verify(hook[1], r)).isTrue());

        String log = call(get("/api/v1/webhooks/" + hook[0] + "/deliveries")
                        .param("limit", "1")
                        .param("page", "6"))
                .getContentAsString();
        assertThat((Integer) JsonPath.read(log, "$.count")).isEqualTo(1);
        assertThat((Boolean) JsonPath.read(log, "$.hasMore")).isFalse();
        assertThat((String) JsonPath.read(log, "$.deliveries[0].eventId")).isEqualTo(expected.getFirst());
        assertThat((Integer) JsonPath.read(log, "$.deliveries[0].attempts")).isEqualTo(6);
        assertThat((String) JsonPath.read(log, "$.deliveries[0].status")).isEqualTo("DELIVERED");
    }

    @Test
    void afterTheRetryHorizonTheSubscriptionIsDisabledWithAReasonAndResumingDeliversWhatWaited() throws Exception {
        receiver.answer(n -> 503);
        String[] hook = subscribe("");
        String first = eventId(append(ChangeType.CONTACT_UPDATED, 30L, renamed("a", "b")));
        String second = eventId(append(ChangeType.CONTACT_UPDATED, 30L, renamed("b", "c")));

        await().atMost(PATIENCE).until(() -> !(Boolean)
                JsonPath.read(call(get("/api/v1/webhooks/" + hook[0])).getContentAsString(), "$.webhook.enabled"));
        String view = call(get("/api/v1/webhooks/" + hook[0])).getContentAsString();
        assertThat((String) JsonPath.read(view, "$.webhook.disabledReason"))
                .contains(first)
                .contains("HTTP 503");
        assertThat((String) JsonPath.read(view, "$.webhook.disabledAt")).isNotNull();
        String failed = call(get("/api/v1/webhooks/" + hook[0] + "/deliveries").param("status", "FAILED"))
                .getContentAsString();
        assertThat((List<String>) JsonPath.read(failed, "$.deliveries[*].eventId"))
                .containsExactly(first);
        assertThat((String) JsonPath.read(failed, "$.deliveries[0].lastError"))
                .contains("HTTP 503")
                .contains("receiver says no");
        // The retries covered the horizon (8 s here) with growing pauses, and nothing after the first was tried.
        assertThat(receiver.requests()).extracting(WebhookReceiver.Received::id).containsOnly(first);
        assertThat(receiver.requests().size()).isBetween(5, 40);
        int attemptsWhenDisabled = receiver.requests().size();

        receiver.answer(n -> 200);
        Thread.sleep(300);
        assertThat(receiver.requests()).as("nothing is sent while disabled").hasSize(attemptsWhenDisabled);
        assertThat(call(patch("/api/v1/webhooks/" + hook[0])
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"enabled\":true}"))
                        .getStatus())
                .isEqualTo(200);
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= 2);
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Received::id).containsExactly(first, second);
        String resumed = call(get("/api/v1/webhooks/" + hook[0])).getContentAsString();
        assertThat((Boolean) JsonPath.read(resumed, "$.webhook.enabled")).isTrue();
        assertThat((Object) JsonPath.read(resumed, "$.webhook.disabledReason")).isNull();
    }

    @Test
    void aReplayedDeliveryIsSentAgainWithTheSameIdAndBody() throws Exception {
        String[] hook = subscribe("");
        String id = eventId(append(
                ChangeType.CONTACT_DELETED,
                40L,
                JsonNodeFactory.instance.objectNode().put("jid", "x@lid")));
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
        String log = call(get("/api/v1/webhooks/" + hook[0] + "/deliveries")).getContentAsString();
        Integer deliveryId = JsonPath.read(log, "$.deliveries[0].id");

        MockHttpServletResponse replayed =
                call(post("/api/v1/webhooks/" + hook[0] + "/deliveries/" + deliveryId + "/replay"));
        assertThat(replayed.getStatus()).isEqualTo(202);
        assertThat((String) JsonPath.read(replayed.getContentAsString(), "$.delivery.status"))
                .isEqualTo("PENDING");
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 2);
        var first = receiver.accepted().get(0);
        var again = receiver.accepted().get(1);
        assertThat(again.id()).isEqualTo(id).isEqualTo(first.id());
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(WebhookReceiver.verify(hook[1], again)).isTrue();
        await().atMost(PATIENCE).untilAsserted(() -> {
            String after =
                    call(get("/api/v1/webhooks/" + hook[0] + "/deliveries")).getContentAsString();
            assertThat((Integer) JsonPath.read(after, "$.deliveries[0].attempts"))
                    .isEqualTo(2);
            assertThat((String) JsonPath.read(after, "$.deliveries[0].status")).isEqualTo("DELIVERED");
        });
        assertThat(call(post("/api/v1/webhooks/" + hook[0] + "/deliveries/999999999/replay"))
                        .getStatus())
                .isEqualTo(404);
    }

    @Test
    void aRotatedSecretSignsTheNextDeliveries() throws Exception {
        String[] hook = subscribe("");
        append(
                ChangeType.CONTACT_DELETED,
                50L,
                JsonNodeFactory.instance.objectNode().put("jid", "y@lid"));
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
        String rotated = JsonPath.read(
                call(post("/api/v1/webhooks/" + hook[0] + "/rotate-secret")).getContentAsString(), "$.webhook.secret");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(hook[1]);
        append(
                ChangeType.CONTACT_DELETED,
                51L,
                JsonNodeFactory.instance.objectNode().put("jid", "z@lid"));
        await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 2);
        assertThat(WebhookReceiver.verify(rotated, receiver.accepted().get(1))).isTrue();
        assertThat(WebhookReceiver.verify(hook[1], receiver.accepted().get(1))).isFalse();
    }
}
