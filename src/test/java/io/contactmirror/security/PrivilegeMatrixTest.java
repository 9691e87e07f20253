package io.contactmirror.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TokenService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Who may do what with tokens: owner, member, instance-bound and Green API path tokens against the token API, the
 * contacts API and the Green API route; lineage (expiry cap, cascade revocation); the operator's way back in.
 */
@IntegrationTest
class PrivilegeMatrixTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    TokenService tokenService;

    @Autowired
    JdbcClient jdbc;

    TestTenants.TestTenant tenant;
    Instance shopA;
    Instance shopB;
    String owner;
    String member;
    String boundA;
    String boundB;
    String pathA;

    @BeforeEach
    void tokens() {
        tenant = tenants.create();
        shopA = instances.create(tenant, "shop_a", EngineType.SANDBOX);
        shopB = instances.create(tenant, "shop_b", EngineType.SANDBOX);
        owner = tenant.token();
        boundA = tenants.token(tenant, Scope.all(), null, shopA.id());
        boundB = tenants.token(tenant, Scope.all(), null, shopB.id());
        pathA = tenants.pathToken(tenant, shopA.id());
        UUID memberId = UUID.randomUUID();
        jdbc.sql("INSERT INTO users (id, tenant_id, email, role, created_at) VALUES (?, ?, ?, 'MEMBER', now())")
                .params(memberId, tenant.tenantId(), "member-" + memberId + "@example.com")
                .update();
        member = tokenService
                .issue(tenant.tenantId(), memberId, null, "member", Scope.all(), null)
                .secret()
                .toString();
    }

    private MockHttpServletResponse call(MockHttpServletRequestBuilder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    private int status(MockHttpServletRequestBuilder request, String token) throws Exception {
        return call(request, token).getStatus();
    }

    private String idOf(String secret) {
        return tokenService
                .findGrant(UUID.fromString(secret))
                .orElseThrow()
                .tokenId()
                .toString();
    }

    private MockHttpServletRequestBuilder create(String json) {
        return post("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private String greenApi(long instanceId, String token) {
        return "/waInstance" + instanceId + "/getContacts/" + token;
    }

    @Test
    void anInstanceBoundTokenSeesAndRevokesOnlyItself() throws Exception {
        String body = call(get("/api/v1/tokens"), boundA).getContentAsString();
        assertThat((Integer) JsonPath.read(body, "$.total")).isEqualTo(1);
        assertThat((List<String>) JsonPath.read(body, "$.tokens[*].id")).containsExactly(idOf(boundA));
        assertThat(status(get("/api/v1/tokens/" + idOf(boundA)), boundA)).isEqualTo(200);
        for (String other : List.of(owner, boundB, pathA, member)) {
            assertThat(status(get("/api/v1/tokens/" + idOf(other)), boundA))
                    .as("read other")
                    .isEqualTo(404);
            assertThat(status(delete("/api/v1/tokens/" + idOf(other)), boundA))
                    .as("revoke other")
                    .isEqualTo(404);
        }
        // Unbound tokens are impossible for it; tokens for another instance too.
        String created = call(create("{\"label\":\"rotated\"}"), boundA).getContentAsString();
        assertThat((String) JsonPath.read(created, "$.instanceName")).isEqualTo("shop_a");
        assertThat(status(create("{\"label\":\"x\",\"instanceName\":\"shop_b\"}"), boundA))
                .isIn(403, 404);
        // The owner still works: nothing was revoked.
        assertThat(status(get("/api/v1/tokens"), owner)).isEqualTo(200);
        assertThat((Integer) JsonPath.read(call(get("/api/v1/tokens"), owner).getContentAsString(), "$.total"))
                .isEqualTo(6);
        assertThat(status(delete("/api/v1/tokens/" + idOf(boundA)), boundA)).isEqualTo(204);
        assertThat(status(get("/api/v1/tokens"), boundA)).isEqualTo(401);
    }

    @Test
    void theChangeFeedTheLiveStreamAndTheExportFollowBindingsAndScopes() throws Exception {
        String readOnly = tenants.token(tenant, java.util.EnumSet.of(Scope.CONTACTS_READ), null, null);
        String noRead =
                tenants.token(tenant, java.util.EnumSet.of(Scope.INSTANCES_READ, Scope.CONTACTS_WRITE), null, null);
        for (String path : List.of("/api/v1/contacts/changes", "/api/v1/contacts/export")) {
            for (String allowed : List.of(owner, member, readOnly, boundA)) {
                assertThat(status(get(path).param("instanceName", "shop_a"), allowed))
                        .as(path)
                        .isEqualTo(200);
            }
            assertThat(status(get(path), boundB))
                    .as(path + " on the bound instance")
                    .isEqualTo(200);
            assertThat(status(get(path).param("instanceName", "shop_b"), boundA))
                    .as(path)
                    .isEqualTo(404);
            assertThat(status(get(path).param("instanceName", "shop_a"), noRead))
                    .as(path)
                    .isEqualTo(403);
            assertThat(status(get(path).param("instanceName", "shop_a"), pathA))
                    .as(path)
                    .isEqualTo(401);
            assertThat(status(get(path).param("instanceName", "shop_a"), null))
                    .as(path)
                    .isEqualTo(401);
        }
        String events = "/api/v1/events";
        assertThat(status(get(events).param("instanceName", "shop_b"), boundA)).isEqualTo(404);
        assertThat(status(get(events).param("instanceName", "shop_a"), noRead)).isEqualTo(403);
        assertThat(status(get(events).param("instanceName", "shop_a"), pathA)).isEqualTo(401);
        assertThat(status(get(events).param("instanceName", "shop_a"), null)).isEqualTo(401);
        // A cursor belongs to its instance: it reads nothing of another one, even for the owner.
        String cursorOfA = JsonPath.read(
                call(get("/api/v1/contacts/changes").param("instanceName", "shop_a"), owner)
                        .getContentAsString(),
                "$.nextCursor");
        assertThat(status(
                        get("/api/v1/contacts/changes")
                                .param("instanceName", "shop_b")
                                .param("after", cursorOfA),
                        owner))
                .isEqualTo(400);
        assertThat(status(get(events).param("instanceName", "shop_b").header("Last-Event-ID", cursorOfA), owner))
                .isEqualTo(400);
    }

    @Test
    void onlyOwnersAndAdminsManageTokens() throws Exception {
        assertThat(status(get("/api/v1/tokens"), member)).isEqualTo(403);
        assertThat(status(create("{\"label\":\"x\"}"), member)).isEqualTo(403);
        assertThat(status(delete("/api/v1/tokens/" + idOf(owner)), member)).isEqualTo(403);
        assertThat(status(get("/api/v1/contacts").param("instanceName", "shop_a"), member))
                .isEqualTo(200);
        assertThat(status(get("/api/v1/tokens"), owner)).isEqualTo(200);
    }

    @Test
    void aPathTokenOnlyReadsItsInstanceThroughTheGreenApiPath() throws Exception {
        assertThat(status(get(greenApi(shopA.id(), pathA)), null)).isEqualTo(200);
        assertThat(status(get(greenApi(shopB.id(), pathA)), null)).isEqualTo(404);
        // Useless anywhere else: as a Bearer token it authenticates nothing.
        assertThat(status(get("/api/v1/contacts").param("instanceName", "shop_a"), pathA))
                .isEqualTo(401);
        assertThat(status(get("/api/v1/tokens"), pathA)).isEqualTo(401);
        assertThat(status(get("/api/v1/instances"), pathA)).isEqualTo(401);
        // And no other token works in the path, not even the owner's.
        for (String other : List.of(owner, boundA, member)) {
            assertThat(status(get(greenApi(shopA.id(), other)), null))
                    .as("token in path")
                    .isEqualTo(401);
        }
    }

    @Test
    void pathTokensAreCreatedReadOnlyAndBoundThroughTheTokensApi() throws Exception {
        String body = call(
                        create("{\"label\":\"green\",\"purpose\":\"green_api_path\",\"instanceName\":\"shop_b\"}"),
                        owner)
                .getContentAsString();
        assertThat((List<String>) JsonPath.read(body, "$.token.scopes")).containsExactly("contacts:read");
        assertThat((String) JsonPath.read(body, "$.token.purpose")).isEqualTo("green_api_path");
        String secret = JsonPath.read(body, "$.token.token");
        assertThat(status(get(greenApi(shopB.id(), secret)), null)).isEqualTo(200);

        var unbound = call(create("{\"label\":\"green\",\"purpose\":\"green_api_path\"}"), owner);
        assertThat(unbound.getStatus()).isEqualTo(400);
        assertThat(unbound.getContentAsString()).contains("instanceName");
        assertThat(status(
                        create(
                                "{\"label\":\"g\",\"purpose\":\"green_api_path\",\"instanceName\":\"shop_b\",\"scopes\":[\"contacts:write\"]}"),
                        owner))
                .isEqualTo(400);
        // A bound token makes path tokens for its own instance only.
        assertThat(status(create("{\"label\":\"g\",\"purpose\":\"green_api_path\"}"), boundA))
                .isEqualTo(201);
    }

    @Test
    void revokingAParentRevokesItsWholeLineAndChildrenExpireWithIt() throws Exception {
        Instant parentExpiry = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String parent = JsonPath.read(
                call(create("{\"label\":\"parent\",\"expiresAt\":\"" + parentExpiry + "\"}"), owner)
                        .getContentAsString(),
                "$.token.token");
        String childBody = call(create("{\"label\":\"child\"}"), parent).getContentAsString();
        assertThat(Instant.parse(JsonPath.read(childBody, "$.token.expiresAt"))).isEqualTo(parentExpiry);
        String child = JsonPath.read(childBody, "$.token.token");
        String grandchild =
                JsonPath.read(call(create("{\"label\":\"grandchild\"}"), child).getContentAsString(), "$.token.token");
        String sibling =
                JsonPath.read(call(create("{\"label\":\"sibling\"}"), owner).getContentAsString(), "$.token.token");

        assertThat(status(delete("/api/v1/tokens/" + idOf(parent)), owner)).isEqualTo(204);

        for (String revoked : List.of(parent, child, grandchild)) {
            assertThat(status(get("/api/v1/tokens"), revoked)).isEqualTo(401);
        }
        assertThat(status(get("/api/v1/tokens"), sibling)).isEqualTo(200);
        assertThat(status(get("/api/v1/tokens"), owner)).isEqualTo(200);
    }

    @Test
    void webhooksFollowTheContactScopesAndTheInstanceBinding() throws Exception {
        String paused = "{\"url\":\"https://93.184.215.14/hook\",\"enabled\":false}";
        MockHttpServletRequestBuilder createHook =
                post("/api/v1/webhooks").contentType(MediaType.APPLICATION_JSON).content(paused);
        String ownerHook = JsonPath.read(call(createHook, owner).getContentAsString(), "$.webhook.id");
        String boundHook = JsonPath.read(
                call(
                                post("/api/v1/webhooks")
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .content(paused),
                                boundA)
                        .getContentAsString(),
                "$.webhook.id");
        // Members have the contact scopes, so they manage webhooks too; a path token manages none.
        assertThat(status(
                        post("/api/v1/webhooks")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(paused),
                        member))
                .isEqualTo(201);
        assertThat(status(get("/api/v1/webhooks"), pathA)).isEqualTo(401);
        assertThat(status(get("/api/v1/webhooks/" + ownerHook), boundA)).isEqualTo(404);
        assertThat(status(get("/api/v1/webhooks/" + boundHook), boundB)).isEqualTo(404);
        assertThat(status(post("/api/v1/webhooks/" + boundHook + "/rotate-secret"), boundB))
                .isEqualTo(404);
        assertThat(status(get("/api/v1/webhooks/" + boundHook), owner)).isEqualTo(200);
        assertThat(status(delete("/api/v1/webhooks/" + boundHook), boundA)).isEqualTo(204);
    }

    @Test
    void theOperatorIssuesAFreshOwnerTokenForATenantThatLostAllItsTokens() throws Exception {
        assertThat(status(delete("/api/v1/tokens/" + idOf(owner)), owner)).isEqualTo(204);
        assertThat(status(get("/api/v1/tokens"), owner)).isEqualTo(401);

        assertThat(status(post("/admin/v1/tenants/" + tenant.slug() + "/tokens"), null))
                .isEqualTo(401);
        assertThat(status(post("/admin/v1/tenants/" + tenant.slug() + "/tokens"), owner))
                .isEqualTo(401);
        var issued = call(
                post("/admin/v1/tenants/" + tenant.slug() + "/tokens")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"recovery\"}"),
                "test-operator-token");
        assertThat(issued.getStatus()).isEqualTo(201);
        String fresh = JsonPath.read(issued.getContentAsString(), "$.token.token");
        assertThat((List<String>) JsonPath.read(issued.getContentAsString(), "$.token.scopes"))
                .contains("tokens:manage");
        assertThat(status(get("/api/v1/tokens"), fresh)).isEqualTo(200);
        assertThat(status(post("/admin/v1/tenants/no-such-tenant/tokens"), "test-operator-token"))
                .isEqualTo(404);
    }
}
