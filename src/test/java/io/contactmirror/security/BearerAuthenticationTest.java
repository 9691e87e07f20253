package io.contactmirror.security;

import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@IntegrationTest
class BearerAuthenticationTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    TestTenants.TestTenant tenant;

    @BeforeEach
    void createTenant() {
        tenant = tenants.create();
    }

    private ResultActions callWith(String authorization) throws Exception {
        var request = get("/api/v1/tokens");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return mvc.perform(request);
    }

    private static void expectUnauthorized(ResultActions result) throws Exception {
        result.andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer")))
                .andExpect(jsonPath("$.success", is(false)))
                .andExpect(jsonPath("$.error_code", is("UNAUTHORIZED")))
                .andExpect(jsonPath("$.request_id").isNotEmpty());
    }

    @Test
    void acceptsAValidTokenInEitherCase() throws Exception {
        callWith("Bearer " + tenant.token().toLowerCase()).andExpect(status().isOk());
        callWith("Bearer " + tenant.token().toUpperCase()).andExpect(status().isOk());
        callWith("bearer " + tenant.token()).andExpect(status().isOk());
    }

    @Test
    void rejectsAMissingHeader() throws Exception {
        expectUnauthorized(callWith(null));
        callWith(null).andExpect(header().string("WWW-Authenticate", "Bearer"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Basic dXNlcjpwYXNz",
                "Bearer",
                "Bearer not-a-uuid",
                "Bearer 6ba7b810-9dad-11d1-80b4-00c04fd430c8", // version 1
                "Bearer 3f2504e0-4f89-31d3-9a0c-0305e82c3301", // version 3
                "Bearer 00000000-0000-0000-0000-000000000000",
                "Token 5f1e7a8e-9a56-4d8e-8f67-2b7c56c2f1a0"
            })
    void rejectsMalformedCredentials(String authorization) throws Exception {
        expectUnauthorized(callWith(authorization));
    }

    @Test
    void rejectsAnUnknownToken() throws Exception {
        expectUnauthorized(callWith("Bearer " + UUID.randomUUID()));
    }

    @Test
    void rejectsARevokedToken() throws Exception {
        String second = tenants.token(tenant, Scope.all(), null, null);
        callWith("Bearer " + second).andExpect(status().isOk());
        String secondId = com.jayway.jsonpath.JsonPath.read(
                callWith(tenant.bearer()).andReturn().getResponse().getContentAsString(), "$.tokens[1].id");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                                "/api/v1/tokens/" + secondId)
                        .header("Authorization", tenant.bearer()))
                .andExpect(status().isNoContent());
        expectUnauthorized(callWith("Bearer " + second));
        callWith("Bearer " + second).andExpect(jsonPath("$.error", is("Token has been revoked")));
    }

    @Test
    void rejectsAnExpiredToken() throws Exception {
        String expired = tenants.token(tenant, Scope.all(), Instant.now().minusSeconds(1), null);
        expectUnauthorized(callWith("Bearer " + expired));
        callWith("Bearer " + expired).andExpect(jsonPath("$.error", is("Token has expired")));
    }

    @Test
    void rejectsTokensOfADisabledTenantAndAcceptsThemAgainWhenEnabled() throws Exception {
        mvc.perform(post("/admin/v1/tenants/" + tenant.slug() + "/disable")
                        .header("Authorization", "Bearer test-operator-token"))
                .andExpect(status().isOk());
        expectUnauthorized(callWith(tenant.bearer()));
        mvc.perform(post("/admin/v1/tenants/" + tenant.slug() + "/enable")
                        .header("Authorization", "Bearer test-operator-token"))
                .andExpect(status().isOk());
        callWith(tenant.bearer()).andExpect(status().isOk());
    }

    @Test
    void answersForbiddenWhenTheTokenLacksTheScope() throws Exception {
        String readOnly = tenants.token(tenant, Set.of(Scope.CONTACTS_READ), null, null);
        callWith("Bearer " + readOnly)
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.success", is(false)))
                .andExpect(jsonPath("$.error_code", is("FORBIDDEN")));
    }

    @Test
    void leavesHealthOpen() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
    }
}
