package io.contactmirror.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.contactmirror.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The committed {@code openapi/openapi.yaml} is the contract: this test regenerates it from the running application
 * and fails on any difference. Refresh it with {@code ./mvnw -Popenapi-refresh test}.
 */
@IntegrationTest
class OpenApiContractTest {

    static final Path CONTRACT = Path.of("openapi/openapi.yaml");

    @Autowired
    MockMvc mvc;

    @Test
    void committedSpecMatchesTheApplication() throws Exception {
        String generated = mvc.perform(get("/v3/api-docs.yaml"))
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(generated).startsWith("openapi: 3.1");
        Files.writeString(Path.of("target/openapi-generated.yaml"), generated, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(CONTRACT, generated, StandardCharsets.UTF_8);
        }
        assertThat(CONTRACT).exists();
        assertThat(Files.readString(CONTRACT, StandardCharsets.UTF_8))
                .as(
                        "openapi/openapi.yaml is out of date; run ./mvnw -Popenapi-refresh test (diff: target/openapi-generated.yaml)")
                .isEqualTo(generated);
    }

    @Test
    void servesSwaggerUiWithoutAToken() throws Exception {
        var redirect = mvc.perform(get("/swagger-ui.html")).andReturn().getResponse();
        assertThat(redirect.getStatus()).isEqualTo(302);
        assertThat(redirect.getRedirectedUrl()).endsWith("/swagger-ui/index.html");
        assertThat(mvc.perform(get("/swagger-ui/index.html"))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(200);
    }

    @Test
    void everyOperationHasAnIdSummaryAndErrorResponses() throws Exception {
        String json =
                mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        var document = com.jayway.jsonpath.JsonPath.parse(json);
        java.util.Map<String, java.util.Map<String, java.util.Map<String, Object>>> paths = document.read("$.paths");
        assertThat(paths).isNotEmpty();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            assertThat(operation)
                    .as("%s %s", method, path)
                    .containsKeys("operationId", "summary", "description", "responses");
            @SuppressWarnings("unchecked")
            var responses = (java.util.Map<String, Object>) operation.get("responses");
            if (path.startsWith("/api/") || path.startsWith("/admin/")) {
                assertThat(responses).as("%s %s", method, path).containsKeys("401", "500");
            }
        }));
        assertThat(json).contains("\"bearerAuth\"", "\"ErrorResponse\"");
    }

    @Test
    void theServerIsRelativeSoSwaggerUiCallsTheOriginItWasLoadedFrom() throws Exception {
        String json = mvc.perform(get("/v3/api-docs").header("Host", "contacts.example.com:9443"))
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(com.jayway.jsonpath.JsonPath.parse(json).<java.util.List<String>>read("$.servers[*].url"))
                .containsExactly("/");
    }

    @Test
    void everyErrorCodeIsDocumentedAndNoneIsAnEnum() throws Exception {
        String json =
                mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        var errorCode = com.jayway.jsonpath.JsonPath.parse(json);
        String description = errorCode.read("$.components.schemas.ErrorResponse.properties.error_code.description");
        java.util.List<String> listed =
                errorCode.read("$.components.schemas.ErrorResponse.properties.error_code.x-extensible-enum");
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(description)
                    .contains("`" + code.name() + "` (" + code.status().value() + ")");
            assertThat(listed).contains(code.name());
            if (code != ErrorCode.METHOD_NOT_ALLOWED) { // answers methods the contract does not have
                assertThat(json).contains("\"#/components/examples/" + code.name() + "\"");
            }
        }
        assertThat(errorCode.<java.util.List<Object>>read(
                        "$.components.schemas.ErrorResponse.properties.error_code[?(@.enum)]"))
                .isEmpty();
        assertThat(errorCode.<java.util.List<String>>read("$.components.schemas.ErrorResponse.required"))
                .containsExactlyInAnyOrder("success", "error", "error_code", "timestamp", "request_id");
    }
}
