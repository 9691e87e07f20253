package io.contactmirror.tenant;

import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@IntegrationTest
class OperatorApiTest {

    static final String OPERATOR = "Bearer test-operator-token";

    @Autowired
    MockMvc mvc;

    @Test
    void onboardsATenantWithAnOwnerAndAWorkingToken() throws Exception {
        String body = mvc.perform(post("/admin/v1/tenants")
                        .header("Authorization", OPERATOR)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"slug":"acme","name":"Acme Ltd","owner":{"email":"owner@acme.test","displayName":"Ann"}}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.success", is(true)))
                .andExpect(jsonPath("$.tenant.slug", is("acme")))
                .andExpect(jsonPath("$.tenant.status", is("ACTIVE")))
                .andExpect(jsonPath("$.owner.role", is("OWNER")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String token = JsonPath.read(body, "$.token.token");
        String tenantId = JsonPath.read(body, "$.tenant.id");

        mvc.perform(get("/api/v1/tokens").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tokens", hasSize(1)));
        mvc.perform(get("/admin/v1/tenants/" + tenantId).header("Authorization", OPERATOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tenant.name", is("Acme Ltd")))
                .andExpect(jsonPath("$.users[0].email", is("owner@acme.test")));
        mvc.perform(get("/admin/v1/tenants/acme").header("Authorization", OPERATOR))
                .andExpect(jsonPath("$.tenant.id", is(tenantId)));
        mvc.perform(get("/admin/v1/tenants?limit=100").header("Authorization", OPERATOR))
                .andExpect(jsonPath("$.total", greaterThanOrEqualTo(1)))
                .andExpect(jsonPath("$.tenants[?(@.slug == 'acme')]").exists());

        mvc.perform(post("/admin/v1/tenants")
                        .header("Authorization", OPERATOR)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"slug":"acme","name":"Again","owner":{"email":"x@acme.test"}}"""))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error_code", is("CONFLICT")));
    }

    @Test
    void validatesOnboardingInput() throws Exception {
        mvc.perform(post("/admin/v1/tenants")
                        .header("Authorization", OPERATOR)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"slug":"Not Valid!","name":"","owner":{"email":"not-an-email"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code", is("VALIDATION_ERROR")))
                .andExpect(jsonPath("$.details[?(@.field == 'slug')]").exists())
                .andExpect(jsonPath("$.details[?(@.field == 'name')]").exists())
                .andExpect(jsonPath("$.details[?(@.field == 'owner.email')]").exists());
    }

    @Test
    void answersNotFoundForAnUnknownTenant() throws Exception {
        mvc.perform(get("/admin/v1/tenants/nobody").header("Authorization", OPERATOR))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code", is("TENANT_NOT_FOUND")));
    }

    @Test
    void rejectsAWrongOrMissingOperatorTokenAndTenantTokens() throws Exception {
        mvc.perform(get("/admin/v1/tenants")).andExpect(status().isUnauthorized());
        mvc.perform(get("/admin/v1/tenants").header("Authorization", "Bearer wrong"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error_code", is("UNAUTHORIZED")));
    }
}
