package io.contactmirror.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

@IntegrationTest
class TokenApiTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TokenUsageRecorder usageRecorder;

    TestTenants.TestTenant tenant;

    @BeforeEach
    void createTenant() {
        tenant = tenants.create();
    }

    @Test
    void createsATokenWhoseSecretIsShownOnceAndStoredOnlyAsAHash() throws Exception {
        String body = mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"crm sync\",\"scopes\":[\"contacts:read\"]}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.success", is(true)))
                .andExpect(jsonPath("$.token.label", is("crm sync")))
                .andExpect(jsonPath("$.token.scopes", hasSize(1)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String secret = JsonPath.read(body, "$.token.token");
        String id = JsonPath.read(body, "$.token.id");
        assertThat(UUID.fromString(secret).version()).isEqualTo(4);

        byte[] stored = jdbc.sql("select token_hash from api_tokens where id = ?")
                .param(UUID.fromString(id))
                .query(byte[].class)
                .single();
        assertThat(stored).isEqualTo(TokenSecrets.sha256(secret)).hasSize(32);

        mvc.perform(get("/api/v1/tokens/" + id).header("Authorization", tenant.bearer()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.token.token").doesNotExist());
        mvc.perform(get("/api/v1/tokens").header("Authorization", "Bearer " + secret))
                .andExpect(status().isForbidden());
    }

    @Test
    void refusesToGrantScopesTheCreatorLacks() throws Exception {
        String limited = tenants.token(tenant, Set.of(Scope.TOKENS_MANAGE), null, null);
        mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", "Bearer " + limited)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"x\",\"scopes\":[\"contacts:write\"]}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error_code", is("FORBIDDEN")));
    }

    @Test
    void validatesTheRequest() throws Exception {
        mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code", is("VALIDATION_ERROR")))
                .andExpect(jsonPath("$.details[?(@.field == 'label')]").exists())
                .andExpect(jsonPath("$.details[?(@.field == 'expiresAt')]").exists());
        mvc.perform(post("/api/v1/tokens")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"x\",\"scopes\":[\"everything\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.details[0].field", is("scopes[0]")));
    }

    @Test
    void keepsTokensOfOneTenantInvisibleToAnother() throws Exception {
        var other = tenants.create();
        String otherTokenId = JsonPath.read(
                mvc.perform(get("/api/v1/tokens").header("Authorization", other.bearer()))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.tokens[0].id");

        mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.total", is(1)))
                .andExpect(jsonPath("$.tokens[0].id").value(org.hamcrest.Matchers.not(otherTokenId)));
        mvc.perform(get("/api/v1/tokens/" + otherTokenId).header("Authorization", tenant.bearer()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code", is("TOKEN_NOT_FOUND")));
        mvc.perform(delete("/api/v1/tokens/" + otherTokenId).header("Authorization", tenant.bearer()))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/tokens").header("Authorization", other.bearer()))
                .andExpect(status().isOk());
    }

    @Test
    void recordsLastUseInTheBackgroundAtMostOncePerMinute() throws Exception {
        String tokenId = JsonPath.read(
                mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.tokens[0].id");
        // The request itself wrote nothing: the use waits for the flush.
        assertThat(lastUsed(tokenId)).isNull();
        usageRecorder.flush();
        var first = lastUsed(tokenId);
        assertThat(first).isNotNull();

        mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()));
        usageRecorder.flush();
        assertThat(lastUsed(tokenId)).isEqualTo(first);
        mvc.perform(get("/api/v1/tokens/" + tokenId).header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.token.lastUsedAt").value(org.hamcrest.Matchers.notNullValue()))
                .andExpect(jsonPath("$.token.revokedAt", nullValue()));
    }

    private java.time.OffsetDateTime lastUsed(String tokenId) {
        return jdbc.sql("select last_used_at from api_tokens where id = ?")
                .param(UUID.fromString(tokenId))
                .query(java.time.OffsetDateTime.class)
                .list()
                .getFirst();
    }
}
