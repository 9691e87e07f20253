package io.contactmirror.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The webhook API with the production defaults (https only, no internal targets): create with a secret shown once,
 * read, change, rotate, delete; SSRF targets refused with clear 400s; scopes and instance-bound tokens respected.
 */
@IntegrationTest
class WebhookApiTest {

    static final String PUBLIC_URL = "https://93.184.215.14/hooks/contacts";

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    JdbcClient jdbc;

    TestTenants.TestTenant tenant;
    Instance shopA;
    Instance shopB;

    @BeforeEach
    void setUp() {
        tenant = tenants.create();
        shopA = instances.create(tenant, "shop_a", EngineType.SANDBOX);
        shopB = instances.create(tenant, "shop_b", EngineType.SANDBOX);
    }

    private MockHttpServletResponse call(MockHttpServletRequestBuilder request, String token) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + token))
                .andReturn()
                .getResponse();
    }

    private static MockHttpServletRequestBuilder create(String json) {
        return post("/api/v1/webhooks").contentType(MediaType.APPLICATION_JSON).content(json);
    }

    @Test
    void theSecretIsShownOnCreateAndRotateOnlyAndStoredEncrypted() throws Exception {
        var created = call(
                create("{\"url\":\"" + PUBLIC_URL
                        + "\",\"eventTypes\":[\"contact.updated\",\"contact.created\"],\"description\":\"CRM\"}"),
                tenant.token());
        assertThat(created.getStatus()).isEqualTo(201);
        String body = created.getContentAsString();
        String id = JsonPath.read(body, "$.webhook.id");
        String secret = JsonPath.read(body, "$.webhook.secret");
        assertThat(secret).startsWith("whsec_");
        assertThat((List<String>) JsonPath.read(body, "$.webhook.eventTypes"))
                .containsExactly("contact.updated", "contact.created");
        assertThat((Object) JsonPath.read(body, "$.webhook.instanceName")).isNull();

        String read = call(get("/api/v1/webhooks/" + id), tenant.token()).getContentAsString();
        assertThat(read).doesNotContain(secret).doesNotContain("secret\"");
        assertThat((Boolean) JsonPath.read(read, "$.webhook.enabled")).isTrue();
        String list = call(get("/api/v1/webhooks"), tenant.token()).getContentAsString();
        assertThat(list).doesNotContain(secret);
        assertThat((Integer) JsonPath.read(list, "$.total")).isEqualTo(1);
        assertThat((Integer) JsonPath.read(list, "$.count")).isEqualTo(1);
        assertThat((Boolean) JsonPath.read(list, "$.hasMore")).isFalse();

        byte[] stored = jdbc.sql("SELECT secret FROM webhook_subscriptions WHERE id = CAST(? AS uuid)")
                .param(id)
                .query(byte[].class)
                .single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret.substring(6, 20));

        String rotated = JsonPath.read(
                call(post("/api/v1/webhooks/" + id + "/rotate-secret"), tenant.token())
                        .getContentAsString(),
                "$.webhook.secret");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);

        var changed = call(
                patch("/api/v1/webhooks/" + id)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"eventTypes\":[],\"enabled\":false,\"url\":\"https://93.184.215.14/v2\"}"),
                tenant.token());
        assertThat(changed.getStatus()).isEqualTo(200);
        assertThat((List<String>) JsonPath.read(changed.getContentAsString(), "$.webhook.eventTypes"))
                .isEmpty();
        assertThat((Boolean) JsonPath.read(changed.getContentAsString(), "$.webhook.enabled"))
                .isFalse();
        assertThat((String) JsonPath.read(changed.getContentAsString(), "$.webhook.url"))
                .isEqualTo("https://93.184.215.14/v2");
        assertThat((String) JsonPath.read(changed.getContentAsString(), "$.webhook.description"))
                .isEqualTo("CRM");

        var log = call(get("/api/v1/webhooks/" + id + "/deliveries"), tenant.token());
        assertThat(log.getStatus()).isEqualTo(200);
        assertThat((Integer) JsonPath.read(log.getContentAsString(), "$.total")).isZero();

        assertThat(call(delete("/api/v1/webhooks/" + id), tenant.token()).getStatus())
                .isEqualTo(204);
        var gone = call(get("/api/v1/webhooks/" + id), tenant.token());
        assertThat(gone.getStatus()).isEqualTo(404);
        assertThat((String) JsonPath.read(gone.getContentAsString(), "$.error_code"))
                .isEqualTo("WEBHOOK_NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://93.184.215.14/hook",
                "https://127.0.0.1/hook",
                "https://localhost/hook",
                "https://[::1]/hook",
                "https://10.0.0.5/",
                "https://192.168.0.10/",
                "https://172.20.1.1/",
                "https://169.254.169.254/latest/meta-data/",
                "https://100.64.1.1/",
                "https://[fd12:3456::1]/",
                "https://224.0.0.251/",
                "https://0.0.0.0/",
                "ftp://93.184.215.14/",
                "https://user:pw@93.184.215.14/"
            })
    void ssrfTargetsAreRefusedWithAClear400(String url) throws Exception {
        var refused = call(create("{\"url\":\"" + url + "\"}"), tenant.token());
        assertThat(refused.getStatus()).isEqualTo(400);
        String body = refused.getContentAsString();
        assertThat((String) JsonPath.read(body, "$.error_code")).isEqualTo("VALIDATION_ERROR");
        assertThat((List<String>) JsonPath.read(body, "$.details[*].field")).containsExactly("url");
        assertThat(jdbc.sql("SELECT count(*) FROM webhook_subscriptions WHERE tenant_id = ?")
                        .param(tenant.tenantId())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void changingTheUrlIsCheckedLikeCreatingAndUnknownEventTypesAreNamed() throws Exception {
        String id = JsonPath.read(
                call(create("{\"url\":\"" + PUBLIC_URL + "\"}"), tenant.token()).getContentAsString(), "$.webhook.id");
        var refused = call(
                patch("/api/v1/webhooks/" + id)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\":\"https://169.254.169.254/\"}"),
                tenant.token());
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.getContentAsString()).contains("169.254.169.254");

        var badType = call(
                create("{\"url\":\"" + PUBLIC_URL + "\",\"eventTypes\":[\"contact.updated\",\"contact.renamed\"]}"),
                tenant.token());
        assertThat(badType.getStatus()).isEqualTo(400);
        assertThat((List<String>) JsonPath.read(badType.getContentAsString(), "$.details[*].field"))
                .containsExactly("eventTypes[1]");
        assertThat(call(create("{\"url\":\"" + PUBLIC_URL + "\",\"instanceName\":\"nope\"}"), tenant.token())
                        .getStatus())
                .isEqualTo(404);
        assertThat(call(create("{}"), tenant.token()).getStatus()).isEqualTo(400);
        assertThat(call(get("/api/v1/webhooks/not-a-uuid"), tenant.token()).getStatus())
                .isEqualTo(400);
    }

    @Test
    void scopesAndInstanceBindingsDecideWhoSeesAndManagesWhich() throws Exception {
        String tenantWide = JsonPath.read(
                call(create("{\"url\":\"" + PUBLIC_URL + "\"}"), tenant.token()).getContentAsString(), "$.webhook.id");
        String forA = JsonPath.read(
                call(create("{\"url\":\"" + PUBLIC_URL + "\",\"instanceName\":\"shop_a\"}"), tenant.token())
                        .getContentAsString(),
                "$.webhook.id");
        String forB = JsonPath.read(
                call(create("{\"url\":\"" + PUBLIC_URL + "\",\"instanceName\":\"shop_b\"}"), tenant.token())
                        .getContentAsString(),
                "$.webhook.id");

        String boundA = tenants.token(tenant, Scope.all(), null, shopA.id());
        String list = call(get("/api/v1/webhooks"), boundA).getContentAsString();
        assertThat((List<String>) JsonPath.read(list, "$.webhooks[*].id")).containsExactly(forA);
        for (String other : List.of(tenantWide, forB)) {
            assertThat(call(get("/api/v1/webhooks/" + other), boundA).getStatus())
                    .isEqualTo(404);
            assertThat(call(delete("/api/v1/webhooks/" + other), boundA).getStatus())
                    .isEqualTo(404);
            assertThat(call(get("/api/v1/webhooks/" + other + "/deliveries"), boundA)
                            .getStatus())
                    .isEqualTo(404);
        }
        // A bound token's webhook is always for its instance; another instance does not exist for it.
        String own = call(create("{\"url\":\"" + PUBLIC_URL + "\"}"), boundA).getContentAsString();
        assertThat((String) JsonPath.read(own, "$.webhook.instanceName")).isEqualTo("shop_a");
        assertThat(call(create("{\"url\":\"" + PUBLIC_URL + "\",\"instanceName\":\"shop_b\"}"), boundA)
                        .getStatus())
                .isEqualTo(404);

        String readOnly = tenants.token(tenant, EnumSet.of(Scope.CONTACTS_READ), null, null);
        assertThat(call(get("/api/v1/webhooks"), readOnly).getStatus()).isEqualTo(200);
        assertThat(call(create("{\"url\":\"" + PUBLIC_URL + "\"}"), readOnly).getStatus())
                .isEqualTo(403);
        assertThat(call(delete("/api/v1/webhooks/" + tenantWide), readOnly).getStatus())
                .isEqualTo(403);
        String writeOnly = tenants.token(tenant, EnumSet.of(Scope.CONTACTS_WRITE), null, null);
        assertThat(call(get("/api/v1/webhooks"), writeOnly).getStatus()).isEqualTo(403);
        var noRead = call(create("{\"url\":\"" + PUBLIC_URL + "\"}"), writeOnly);
        assertThat(noRead.getStatus()).isEqualTo(403);
        assertThat((String) JsonPath.read(noRead.getContentAsString(), "$.error_code"))
                .isEqualTo("FORBIDDEN");
        String instancesOnly =
                tenants.token(tenant, EnumSet.of(Scope.INSTANCES_READ, Scope.INSTANCES_WRITE), null, null);
        assertThat(call(get("/api/v1/webhooks"), instancesOnly).getStatus()).isEqualTo(403);

        // Another tenant sees none of them.
        var other = tenants.create();
        assertThat(call(get("/api/v1/webhooks/" + tenantWide), other.token()).getStatus())
                .isEqualTo(404);
        assertThat((Integer) JsonPath.read(
                        call(get("/api/v1/webhooks"), other.token()).getContentAsString(), "$.total"))
                .isZero();
    }
}
