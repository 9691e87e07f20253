package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CRM edits through the contact entity: optimistic locking behind If-Match, and the change records they write. */
@IntegrationTest
class ContactCrmEditTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    ContactCountRecount recount;

    TestTenants.TestTenant tenant;
    Instance store;
    long contactId;

    @BeforeEach
    void seed() throws Exception {
        tenant = tenants.create();
        store = instances.create(tenant, "crm_store", EngineType.SANDBOX);
        events.publishEvent(new InstanceDataEvent.ContactsReceived(
                store.id(),
                instances.lease(store.id()),
                List.of(new ContactRecord(
                        "5511999999999@s.whatsapp.net", null, "Ana", "Ana Maria", "Ana", null, true))));
        contactId = body(mvc.perform(get("/api/v1/contacts/lookup?phone=5511999999999")
                                .header("Authorization", tenant.bearer()))
                        .andReturn()
                        .getResponse())
                .get("contact")
                .get("id")
                .asLong();
    }

    private JsonNode body(MockHttpServletResponse response) throws Exception {
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        return json.readTree(response.getContentAsString());
    }

    private MockHttpServletResponse patchContact(String ifMatch, String body) throws Exception {
        var request = patch("/api/v1/contacts/" + contactId)
                .header("Authorization", tenant.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    private List<JsonNode> changes(String type) {
        return jdbc
                .sql(
                        "SELECT data::text || '|' || coalesce(actor, '') FROM changes WHERE instance_id = ? AND type = ? ORDER BY seq")
                .param(store.id())
                .param(type)
                .query(String.class)
                .list()
                .stream()
                .map(row -> {
                    String[] parts = row.split("\\|", 2);
                    var node = json.createObjectNode();
                    node.set("data", json.readTree(parts[0]));
                    node.put("actor", parts[1]);
                    return (JsonNode) node;
                })
                .toList();
    }

    @Test
    void anEditWritesOnlyTheReallyChangedFieldsWithTheUserAsActor() throws Exception {
        MockHttpServletResponse first =
                patchContact("\"0\"", "{\"funnelStageId\":\"won\",\"notes\":null,\"customData\":{\"tier\":\"gold\"}}");
        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(first.getHeader("ETag")).isEqualTo("\"1\"");
        assertThat(body(first).get("contact").get("version").asLong()).isEqualTo(1);

        List<JsonNode> updated = changes("contact.updated");
        assertThat(updated).hasSize(1);
        JsonNode change = updated.getFirst().get("data").get("changes");
        // notes was null and stays null: not a change.
        assertThat(change.propertyNames()).containsExactlyInAnyOrder("funnelStageId", "customData");
        assertThat(change.get("funnelStageId").get("old").isNull()).isTrue();
        assertThat(change.get("funnelStageId").get("new").asString()).isEqualTo("won");
        assertThat(change.get("customData").get("new").get("tier").asString()).isEqualTo("gold");
        assertThat(updated.getFirst().get("actor").asString())
                .isEqualTo(tenant.userId().toString());

        // The same values again change nothing: no new version, no change record.
        MockHttpServletResponse again = patchContact(null, "{\"funnelStageId\":\"won\"}");
        assertThat(again.getStatus()).isEqualTo(200);
        assertThat(again.getHeader("ETag")).isEqualTo("\"1\"");
        assertThat(changes("contact.updated")).hasSize(1);
    }

    @Test
    void aStaleIfMatchGets412InTheEnvelopeAndMissingIfMatchStillWorks() throws Exception {
        assertThat(patchContact("\"0\"", "{\"notes\":\"first\"}").getStatus()).isEqualTo(200);
        MockHttpServletResponse stale = patchContact("\"0\"", "{\"notes\":\"second\"}");
        assertThat(stale.getStatus()).isEqualTo(412);
        JsonNode error = body(stale);
        assertThat(error.get("success").asBoolean()).isFalse();
        assertThat(error.get("error_code").asString()).isEqualTo("PRECONDITION_FAILED");
        MockHttpServletResponse blind = patchContact(null, "{\"notes\":\"third\"}");
        assertThat(blind.getStatus()).isEqualTo(200);
        assertThat(body(blind).get("contact").get("notes").asString()).isEqualTo("third");
        assertThat(blind.getHeader("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void ofTwoConcurrentEditsOfOneVersionExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String etag = body(mvc.perform(
                                    get("/api/v1/contacts/" + contactId).header("Authorization", tenant.bearer()))
                            .andReturn()
                            .getResponse())
                    .get("contact")
                    .get("version")
                    .asString();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            try (var executor = Executors.newFixedThreadPool(2)) {
                for (int writer = 0; writer < 2; writer++) {
                    String notes = "round " + round + " writer " + writer;
                    results.add(executor.submit(() -> {
                        start.await();
                        return patchContact("\"" + etag + "\"", "{\"notes\":\"" + notes + "\"}")
                                .getStatus();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> result : results) {
                    statuses.add(result.get());
                }
                assertThat(statuses).containsExactlyInAnyOrder(200, 412);
            }
        }
        assertThat(changes("contact.updated")).hasSize(5);
    }

    @Test
    void savingANewNumberWritesContactCreated() throws Exception {
        MockHttpServletResponse created = mvc.perform(post("/api/v1/contacts")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instanceName\":\"crm_store\",\"phone\":\"5511977776666\",\"name\":\"New Lead\"}"))
                .andReturn()
                .getResponse();
        assertThat(created.getStatus()).isEqualTo(201);
        // The mirror's own contact.created records (of the set-up contact) have no actor.
        List<JsonNode> records = savedByApi();
        assertThat(records).hasSize(1);
        JsonNode contact = records.getFirst().get("data").get("contact");
        assertThat(contact.get("jid").asString()).isEqualTo("5511977776666@s.whatsapp.net");
        assertThat(contact.get("name").asString()).isEqualTo("New Lead");
        assertThat(contact.get("isGroup").asBoolean()).isFalse();
        assertThat(records.getFirst().get("actor").asString())
                .isEqualTo(tenant.userId().toString());

        // Saving it again creates nothing.
        mvc.perform(post("/api/v1/contacts")
                .header("Authorization", tenant.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"instanceName\":\"crm_store\",\"phone\":\"5511977776666\"}"));
        assertThat(savedByApi()).hasSize(1);
    }

    private List<JsonNode> savedByApi() throws Exception {
        return changes("contact.created").stream()
                .filter(record -> record.at("/data/contact/jid").asString().equals("5511977776666@s.whatsapp.net"))
                .toList();
    }

    @Test
    void countersAreRecountedAfterDrift() throws Exception {
        recount.recountRecentlyWritten();
        jdbc.sql("UPDATE contact_counts SET contacts_count = 42, groups_count = 7 WHERE instance_id = ?")
                .param(store.id())
                .update();
        jdbc.sql("UPDATE contacts SET updated_at = now() WHERE id = ?")
                .param(contactId)
                .update();
        assertThat(body(mvc.perform(get("/api/v1/contacts?instanceName=crm_store&limit=1&page=2")
                                        .header("Authorization", tenant.bearer()))
                                .andReturn()
                                .getResponse())
                        .get("total")
                        .asLong())
                .isEqualTo(42);

        assertThat(recount.recountRecentlyWritten()).isGreaterThanOrEqualTo(1);
        var counts = jdbc.sql("SELECT contacts_count || '/' || groups_count FROM contact_counts WHERE instance_id = ?")
                .param(store.id())
                .query(String.class)
                .single();
        assertThat(counts).isEqualTo("1/0");
    }
}
