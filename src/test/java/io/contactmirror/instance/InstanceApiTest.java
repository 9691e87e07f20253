package io.contactmirror.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@IntegrationTest
class InstanceApiTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    JdbcClient jdbc;

    TestTenants.TestTenant tenant;

    @BeforeEach
    void createTenant() {
        tenant = tenants.create();
    }

    private ResultActions create(TestTenants.TestTenant owner, String body) throws Exception {
        return mvc.perform(post("/api/v1/instances")
                .header("Authorization", owner.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content(body));
    }

    @Test
    void showsAConnectedRowAsReconnectingWhileNoReplicaHoldsItsLease() throws Exception {
        create(tenant, "{\"instanceName\":\"orphaned\",\"engine\":\"sandbox\"}").andExpect(status().isCreated());
        long id = jdbc.sql("SELECT id FROM instances WHERE instance_name = 'orphaned'")
                .query(Long.class)
                .single();
        // What a replica that died while connected leaves behind: the row says CONNECTED, its lease has expired.
        jdbc.sql("UPDATE instances SET status = 'CONNECTED' WHERE id = ?")
                .param(id)
                .update();
        jdbc.sql("INSERT INTO instance_leases (instance_id, owner_id, epoch, acquired_at, expires_at) "
                        + "VALUES (?, 'dead#1', 3, now() - interval '1 minute', now() - interval '1 second')")
                .param(id)
                .update();
        mvc.perform(get("/api/v1/instances/orphaned").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.instance.status", is("RECONNECTING")));

        jdbc.sql(
                        "UPDATE instance_leases SET owner_id = 'alive#1', expires_at = now() + interval '1 minute' WHERE instance_id = ?")
                .param(id)
                .update();
        mvc.perform(get("/api/v1/instances/orphaned").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.instance.status", is("CONNECTED")));
    }

    @Test
    void createsAnInstanceWithAGloballyUniqueApiName() throws Exception {
        create(tenant, "{\"instanceName\":\"jakarta_store\",\"engine\":\"sandbox\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.success", is(true)))
                .andExpect(jsonPath("$.instance.id").isNumber())
                .andExpect(jsonPath("$.instance.instanceName", is("jakarta_store")))
                .andExpect(jsonPath("$.instance.displayName", is("jakarta_store")))
                .andExpect(
                        jsonPath("$.instance.apiInstanceName", matchesPattern("t[0-9a-z]+_[0-9a-z]{8}_jakarta_store")))
                .andExpect(jsonPath("$.instance.internalName", matchesPattern("t[0-9a-z]+_[0-9a-z]{8}_jakarta_store")))
                .andExpect(jsonPath("$.instance.engine", is("sandbox")))
                .andExpect(jsonPath("$.instance.status", is("CREATED")))
                .andExpect(jsonPath("$.instance.syncState", is("IDLE")))
                .andExpect(jsonPath("$.instance.contactsCount", is(0)))
                .andExpect(jsonPath("$.instance.createdAt").isString());
        create(tenant, "{\"instanceName\":\"jakarta_store\",\"engine\":\"sandbox\"}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error_code", is("CONFLICT")));
        // Names are per tenant.
        create(
                        tenants.create(),
                        "{\"instanceName\":\"jakarta_store\",\"engine\":\"whatsapp\",\"displayName\":\"Jakarta\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.instance.displayName", is("Jakarta")));
    }

    @Test
    void validatesTheRequest() throws Exception {
        create(tenant, "{\"instanceName\":\"Bad Name!\",\"engine\":\"sandbox\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.details[0].field", is("instanceName")));
        create(tenant, "{\"instanceName\":\"ok_name\",\"engine\":\"telegram\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.details[0].field", is("engine")));
        create(tenant, "{\"instanceName\":\"ok_name\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.details[0].field", is("engine")));
        create(tenant, "{\"instanceName\":\"ab\",\"engine\":\"sandbox\"}").andExpect(status().isBadRequest());
    }

    @Test
    void listsAndGetsOnlyWhatTheTokenMaySee() throws Exception {
        String first = JsonPath.read(
                create(tenant, "{\"instanceName\":\"first\",\"engine\":\"sandbox\"}")
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.instance.apiInstanceName");
        Integer secondId = JsonPath.read(
                create(tenant, "{\"instanceName\":\"second\",\"engine\":\"sandbox\"}")
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.instance.id");
        var other = tenants.create();
        create(other, "{\"instanceName\":\"theirs\",\"engine\":\"sandbox\"}");

        mvc.perform(get("/api/v1/instances").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.total", is(2)))
                .andExpect(jsonPath("$.instances[0].instanceName", is("first")));
        mvc.perform(get("/api/v1/instances/" + first).header("Authorization", tenant.bearer()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.instance.instanceName", is("first")));
        mvc.perform(get("/api/v1/instances/theirs").header("Authorization", tenant.bearer()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code", is("INSTANCE_NOT_FOUND")));

        String bound =
                tenants.token(tenant, Set.of(Scope.INSTANCES_READ, Scope.INSTANCES_WRITE), null, secondId.longValue());
        mvc.perform(get("/api/v1/instances").header("Authorization", "Bearer " + bound))
                .andExpect(jsonPath("$.total", is(1)))
                .andExpect(jsonPath("$.instances", hasSize(1)))
                .andExpect(jsonPath("$.instances[0].instanceName", is("second")));
        mvc.perform(get("/api/v1/instances/first").header("Authorization", "Bearer " + bound))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code", is("INSTANCE_NOT_FOUND")));
        mvc.perform(post("/api/v1/instances/first/connect").header("Authorization", "Bearer " + bound))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/instances")
                        .header("Authorization", "Bearer " + bound)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instanceName\":\"third\",\"engine\":\"sandbox\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/instances/second/qr").header("Authorization", "Bearer " + bound))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error_code", is("QR_NOT_AVAILABLE")));
    }

    @Test
    void createsTokensBoundToAnInstance() throws Exception {
        create(tenant, "{\"instanceName\":\"bound_one\",\"engine\":\"sandbox\"}");
        create(tenant, "{\"instanceName\":\"other_one\",\"engine\":\"sandbox\"}");
        String body = mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"device\",\"instanceName\":\"bound_one\"}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.instanceName", is("bound_one")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String secret = JsonPath.read(body, "$.token.token");
        mvc.perform(get("/api/v1/instances").header("Authorization", "Bearer " + secret))
                .andExpect(jsonPath("$.total", is(1)));
        mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", "Bearer " + secret)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"escape\",\"instanceName\":\"other_one\"}"))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"x\",\"instanceName\":\"nope\"}"))
                .andExpect(status().isNotFound());
    }

    @Test
    void deletesAnInstanceAndItsData() throws Exception {
        Integer id = JsonPath.read(
                create(tenant, "{\"instanceName\":\"doomed\",\"engine\":\"sandbox\"}")
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.instance.id");
        // What the mirror and the change log keep outside the instance row (no foreign keys) goes with it.
        jdbc.sql("INSERT INTO contact_counts (instance_id, contacts_count, groups_count) VALUES (?, 3, 1)")
                .param(id.longValue())
                .update();
        jdbc.sql("INSERT INTO change_sequences (instance_id, last_seq) VALUES (?, 2)")
                .param(id.longValue())
                .update();
        jdbc.sql("INSERT INTO changes (instance_id, seq, type, data) VALUES (:id, 1, 'contact.created', '{}'),"
                        + " (:id, 2, 'contact.updated', '{}')")
                .param("id", id.longValue())
                .update();
        mvc.perform(delete("/api/v1/instances/doomed").header("Authorization", tenant.bearer()))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.success", is(true)));
        mvc.perform(get("/api/v1/instances/doomed").header("Authorization", tenant.bearer()))
                .andExpect(status().isNotFound());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("SELECT count(*) FROM instances WHERE id = ?")
                                .param(id.longValue())
                                .query(Long.class)
                                .single()
                        == 0);
        for (String table : new String[] {"contact_counts", "change_sequences", "changes"}) {
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE instance_id = ?")
                            .param(id.longValue())
                            .query(Long.class)
                            .single())
                    .as(table)
                    .isZero();
        }
        create(tenant, "{\"instanceName\":\"doomed\",\"engine\":\"sandbox\"}").andExpect(status().isCreated());
    }
}
