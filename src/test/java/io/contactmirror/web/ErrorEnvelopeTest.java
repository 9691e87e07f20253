package io.contactmirror.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@IntegrationTest
@TestPropertySource(properties = "contactmirror.test.failing-endpoint=true")
class ErrorEnvelopeTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    TestTenants.TestTenant tenant;

    @BeforeEach
    void createTenant() {
        tenant = tenants.create();
    }

    private static ResultActions expectEnvelope(ResultActions result, int status, String code) throws Exception {
        return result.andExpect(status().is(status))
                .andExpect(header().string("Content-Type", org.hamcrest.Matchers.startsWith("application/json")))
                .andExpect(jsonPath("$.success", is(false)))
                .andExpect(jsonPath("$.error").isString())
                .andExpect(jsonPath("$.error_code", is(code)))
                .andExpect(jsonPath("$.timestamp", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z")))
                .andExpect(jsonPath("$.request_id").isString());
    }

    @Test
    void badParameter() throws Exception {
        expectEnvelope(
                        mvc.perform(get("/api/v1/tokens?page=0&limit=1").header("Authorization", tenant.bearer())),
                        400,
                        "VALIDATION_ERROR")
                .andExpect(jsonPath("$.details[0].field", is("page")));
        expectEnvelope(
                        mvc.perform(get("/api/v1/tokens?limit=abc").header("Authorization", tenant.bearer())),
                        400,
                        "VALIDATION_ERROR")
                .andExpect(jsonPath("$.details[0].field", is("limit")))
                .andExpect(jsonPath("$.details[0].message", is("must be an integer")));
    }

    @Test
    void malformedJson() throws Exception {
        expectEnvelope(
                mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\": ")),
                400,
                "MALFORMED_REQUEST");
    }

    @Test
    void unauthorizedAndForbidden() throws Exception {
        expectEnvelope(mvc.perform(get("/api/v1/tokens")), 401, "UNAUTHORIZED");
        String readOnly = tenants.token(tenant, Set.of(Scope.CONTACTS_READ), null, null);
        expectEnvelope(
                mvc.perform(get("/api/v1/tokens").header("Authorization", "Bearer " + readOnly)), 403, "FORBIDDEN");
    }

    @Test
    void unknownRoute() throws Exception {
        expectEnvelope(
                mvc.perform(get("/api/v1/does-not-exist").header("Authorization", tenant.bearer())), 404, "NOT_FOUND");
    }

    @Test
    void methodNotAllowed() throws Exception {
        expectEnvelope(
                mvc.perform(put("/api/v1/tokens").header("Authorization", tenant.bearer())), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void unsupportedMediaTypeAndNotAcceptable() throws Exception {
        expectEnvelope(
                mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("label")),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        expectEnvelope(
                mvc.perform(get("/api/v1/tokens")
                        .header("Authorization", tenant.bearer())
                        .accept(MediaType.APPLICATION_XML)),
                406,
                "NOT_ACCEPTABLE");
    }

    @Test
    void internalErrorWithoutDetails() throws Exception {
        String body = expectEnvelope(
                        mvc.perform(get("/api/v1/test-failure").header("Authorization", tenant.bearer())),
                        500,
                        "INTERNAL_ERROR")
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(body).doesNotContain("secret internal detail", "IllegalStateException", "at io.");
    }

    @Test
    void echoesAWellFormedRequestIdAndReplacesABadOne() throws Exception {
        mvc.perform(get("/api/v1/tokens").header("X-Request-Id", "abc-123"))
                .andExpect(header().string("X-Request-Id", "abc-123"))
                .andExpect(jsonPath("$.request_id", is("abc-123")));
        mvc.perform(get("/api/v1/tokens").header("X-Request-Id", "bad id\nwith newline"))
                .andExpect(header().string("X-Request-Id", matchesPattern("[0-9a-f-]{36}")));
        mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()))
                .andExpect(header().exists("X-Request-Id"))
                .andExpect(jsonPath("$.success", is(true)));
    }
}
