package io.contactmirror.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The document springdoc serves (and {@code openapi/openapi.yaml} commits): Bearer security everywhere, the error
 * envelope on every operation of the v1 and operator APIs, with examples.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // Free-form JSON (customData) is an object of anything, not Jackson's node API.
        org.springdoc.core.utils.SpringDocUtils.getConfig()
                .replaceWithSchema(tools.jackson.databind.JsonNode.class, new io.swagger.v3.oas.models.media.ObjectSchema()
                        .additionalProperties(true));
    }

    static final String BEARER = "bearerAuth";
    static final String OPERATOR = "operatorToken";
    static final String ERROR_SCHEMA = "ErrorResponse";

    @Bean
    OpenAPI contactMirrorOpenApi() {
        Map<String, Schema> errorSchemas = ModelConverters.getInstance().readAll(ErrorResponse.class);
        Components components = new Components()
                .addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("UUID v4")
                        .description("A tenant token: `Authorization: Bearer <uuid-v4>`, case-insensitive."))
                .addSecuritySchemes("basicAuth", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("basic")
                        .description("GOWA compatibility route only: any user name, a tenant token as password."))
                .addSecuritySchemes(OPERATOR, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("The operator token configured as CONTACTMIRROR_ADMIN_TOKEN (operator API only)."));
        errorSchemas.forEach(components::addSchemas);
        return new OpenAPI()
                .info(new Info()
                        .title("Contact Mirror API")
                        .version("v1")
                        .description("""
                                Mirrors the contacts and chats of paired WhatsApp accounts (instances) into \
                                searchable, paginated CRM contacts. Every error uses one envelope: \
                                `{success: false, error, error_code, timestamp, request_id, details?}`."""))
                .addServersItem(new Server().url("http://localhost:8080").description("Local (embedded default)"))
                .components(components)
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Paths and schemas in alphabetical order, so the committed document changes only when the API does. */
    @Bean
    OpenApiCustomizer stableOrder() {
        return openApi -> {
            var sortedPaths = new io.swagger.v3.oas.models.Paths();
            new java.util.TreeMap<>(openApi.getPaths()).forEach(sortedPaths::addPathItem);
            openApi.setPaths(sortedPaths);
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                openApi.getComponents().setSchemas(new java.util.TreeMap<>(openApi.getComponents().getSchemas()));
            }
        };
    }

    /** Adds the error envelope responses every v1/operator operation can answer with. */
    @Bean
    OpenApiCustomizer errorResponses() {
        return openApi -> openApi.getPaths().forEach((path, item) -> {
            if (!path.startsWith("/api/") && !path.startsWith("/admin/")) {
                return;
            }
            boolean operator = path.startsWith("/admin/");
            item.readOperations().forEach(operation -> {
                if (operator) {
                    operation.addSecurityItem(new SecurityRequirement().addList(OPERATOR));
                }
                ApiResponses responses = operation.getResponses();
                boolean hasInput = operation.getRequestBody() != null
                        || (operation.getParameters() != null && !operation.getParameters().isEmpty());
                if (hasInput) {
                    responses.putIfAbsent("400", error("Bad request: a parameter or the body is invalid", "VALIDATION_ERROR", "validation failed"));
                }
                responses.putIfAbsent("401", error("Missing, malformed, unknown, revoked or expired token", "UNAUTHORIZED", "Token has been revoked"));
                if (operator) {
                    responses.putIfAbsent("429", error("Too many failed authentications from this address; retry after Retry-After seconds", "TOO_MANY_REQUESTS", "Too many failed authentications from this address; retry after the Retry-After seconds"));
                }
                if (!operator) {
                    responses.putIfAbsent("403", error("The token lacks the scope this operation needs", "FORBIDDEN", "This token lacks the scope this operation needs"));
                }
                if (path.contains("{") || hasParameter(operation, "instanceName") || operation.getRequestBody() != null) {
                    responses.putIfAbsent("404", error("Not found (or not visible to this token)", "NOT_FOUND", "No such resource"));
                }
                responses.putIfAbsent("406", error("The Accept header excludes application/json", "NOT_ACCEPTABLE", "This resource can only be represented as application/json"));
                responses.putIfAbsent("408", error("The request body did not arrive within the body read timeout", "REQUEST_TIMEOUT", "The request was not received in time"));
                responses.putIfAbsent("413", error("The request body is larger than this route accepts (see README, Limits)", "PAYLOAD_TOO_LARGE", "Request body too large for this route (at most 65536 bytes)"));
                if (operation.getRequestBody() != null) {
                    responses.putIfAbsent("415", error("The Content-Type is not one this operation consumes", "UNSUPPORTED_MEDIA_TYPE", "Content type not supported; send application/json"));
                }
                if (!operator) {
                    responses.putIfAbsent("429", error("The token spent its request budget; retry after Retry-After seconds", "TOO_MANY_REQUESTS", "Too many requests for this token; retry after the Retry-After seconds"));
                }
                responses.putIfAbsent("500", error("Unexpected failure (no details are ever exposed)", "INTERNAL_ERROR", "Internal server error"));
            });
        });
    }

    private static boolean hasParameter(io.swagger.v3.oas.models.Operation operation, String name) {
        return operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(parameter -> name.equals(parameter.getName()));
    }

    static ApiResponse error(String description, String code, String message) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("success", false);
        example.put("error", message);
        example.put("error_code", code);
        example.put("timestamp", "2026-06-15T12:00:00Z");
        example.put("request_id", "3f1c9b1e-5d7a-4c21-9f55-0d3b8e2a7c10");
        if (code.equals("VALIDATION_ERROR")) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("field", "limit");
            detail.put("message", "must be less than or equal to 100");
            example.put("details", java.util.List.of(detail));
        }
        return new ApiResponse()
                .description(description)
                .content(new Content().addMediaType(
                        "application/json",
                        new MediaType()
                                .schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA))
                                .addExamples(code, new Example().value(example))));
    }
}
