package io.contactmirror.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The document springdoc serves (and {@code openapi/openapi.yaml} commits): Bearer security everywhere, the error
 * envelope with every code an operation can send and a real example of each, the headers the server sends, and
 * nullability and required fields as the Java types declare them.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // Free-form JSON (customData) is an object of anything, not Jackson's node API.
        SpringDocUtils.getConfig()
                .replaceWithSchema(
                        tools.jackson.databind.JsonNode.class, new ObjectSchema().additionalProperties(true));
    }

    static final String BEARER = "bearerAuth";
    static final String OPERATOR = "operatorToken";
    static final String ERROR_SCHEMA = "ErrorResponse";
    static final String REQUEST_ID = RequestIdFilter.HEADER;
    static final String RETRY_AFTER = "Retry-After";
    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    static final String ETAG = "ETag";

    /** Codes any operation of the v1 API can answer with; {@link ErrorCodes} adds each operation's own. */
    private static final List<ErrorCode> EVERY_V1_OPERATION = List.of(
            ErrorCode.UNAUTHORIZED,
            ErrorCode.FORBIDDEN,
            ErrorCode.TOO_MANY_REQUESTS,
            ErrorCode.INTERNAL_ERROR,
            ErrorCode.SERVICE_UNAVAILABLE);

    private static final List<ErrorCode> OPERATOR_OPERATION = List.of(
            ErrorCode.UNAUTHORIZED,
            ErrorCode.NOT_FOUND,
            ErrorCode.TOO_MANY_REQUESTS,
            ErrorCode.INTERNAL_ERROR,
            ErrorCode.SERVICE_UNAVAILABLE);

    @Bean
    OpenAPI contactMirrorOpenApi() {
        Components components = new Components()
                .addSecuritySchemes(
                        BEARER,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .bearerFormat("UUID v4")
                                .description("A tenant token: `Authorization: Bearer <uuid-v4>`, case-insensitive."))
                .addSecuritySchemes(
                        "basicAuth",
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("basic")
                                .description(
                                        "GOWA compatibility route only: any user name, a tenant token as password."))
                .addSecuritySchemes(
                        OPERATOR,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .description(
                                        "The operator token configured as CONTACTMIRROR_ADMIN_TOKEN (operator API only)."))
                .addHeaders(
                        REQUEST_ID,
                        header(
                                "The request's id: the `X-Request-Id` the client sent (letters, digits, `._:-`, up to 128) or a "
                                        + "generated UUID. It is in every log line of the request and in every error body.",
                                true))
                .addHeaders(
                        RETRY_AFTER,
                        new Header()
                                .description(
                                        "Seconds to wait before retrying: on 429 until the token (or address) has budget again, "
                                                + "on 503 until the outage is expected to be over.")
                                .required(true)
                                .schema(integerSchema()))
                .addHeaders(
                        WWW_AUTHENTICATE,
                        header(
                                "`Bearer` when no token was sent, `Bearer error=\"invalid_token\"` when it was refused.",
                                true))
                .addHeaders(
                        ETAG,
                        new Header()
                                .description(
                                        "The contact's version as a strong entity tag, e.g. `\"3\"`: send it back in "
                                                + "`If-Match` to update only that version.")
                                .required(true)
                                .schema(new StringSchema().pattern("^\"[0-9]+\"$")));
        return new OpenAPI()
                .info(new Info().title("Contact Mirror API").version("v1").description("""
                                Mirrors the contacts and chats of paired WhatsApp accounts (instances) into \
                                searchable, paginated CRM contacts. Every error uses one envelope: \
                                `{success: false, error, error_code, timestamp, request_id, details?}`. Send \
                                `X-Request-Id` to correlate a request with the server's logs; every response \
                                carries it."""))
                // Relative, so Swagger UI's "Try it out" calls the host, port and scheme it was loaded from.
                .addServersItem(new Server().url("/").description("The server this document is served by"))
                .components(components)
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    private static Schema<?> integerSchema() {
        Schema<Integer> schema = new Schema<>();
        schema.addType("integer");
        return schema.minimum(java.math.BigDecimal.ONE);
    }

    private static Header header(String description, boolean required) {
        return new Header().description(description).required(required).schema(new StringSchema());
    }

    @Bean
    ContractModelConverter contractModelConverter() {
        return new ContractModelConverter();
    }

    /** The error responses an operation declares with {@link ErrorCodes}, one per status, an example per code. */
    @Bean
    OperationCustomizer declaredErrorCodes() {
        return (operation, handlerMethod) -> {
            ErrorCodes codes = handlerMethod.getMethodAnnotation(ErrorCodes.class);
            if (codes != null) {
                addErrorResponses(operation, Arrays.asList(codes.value()));
            }
            // An empty @SecurityRequirements means "no scheme" (the credential travels elsewhere): security: [].
            var requirements = handlerMethod.getMethodAnnotation(
                    io.swagger.v3.oas.annotations.security.SecurityRequirements.class);
            if (requirements != null && requirements.value().length == 0) {
                operation.setSecurity(new ArrayList<>());
            }
            return operation;
        };
    }

    /** Cross-cutting parts of the contract, applied in this order. */
    @Bean
    OpenApiCustomizer contractConventions() {
        return openApi -> {
            errorEnvelope(openApi);
            commonErrorResponses(openApi);
            headers(openApi);
            DiscriminatedUnions.flatten(openApi);
            requestSchemasAllowAbsentNulls(openApi);
            stableOrder(openApi);
        };
    }

    /** The envelope's schema, its fields all required except {@code details}, and the list of codes. */
    private static void errorEnvelope(OpenAPI openApi) {
        Map<String, Schema> schemas = ModelConverters.getInstance(true).readAll(ErrorEnvelope.class);
        schemas.forEach(openApi.getComponents()::addSchemas);
        @SuppressWarnings("unchecked")
        Schema<Object> code = (Schema<Object>) openApi.getComponents()
                .getSchemas()
                .get(ERROR_SCHEMA)
                .getProperties()
                .get("error_code");
        code.setDescription(errorCodeList());
        code.setExamples(new ArrayList<>(
                Arrays.stream(ErrorCode.values()).map(Enum::name).toList()));
        code.addExtension(
                "x-extensible-enum",
                Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    /**
     * Deliberately not an {@code enum}: clients generated from an enum reject an unknown value (Jackson, pydantic),
     * so a code added in a later release would make old clients fail to read the very error they must handle. The
     * known codes are listed here (and in {@code x-extensible-enum}); clients should treat others like the status.
     */
    static String errorCodeList() {
        return "Machine-readable code. The server sends these (new codes may be added; treat an unknown one like "
                + "its HTTP status):\n\n"
                + Arrays.stream(ErrorCode.values())
                        .map(code -> "- `" + code.name() + "` (" + code.status().value() + "): " + code.meaning())
                        .collect(Collectors.joining("\n"));
    }

    /** Authentication, scope, validation, rate limit and internal errors every v1/operator operation can answer. */
    private static void commonErrorResponses(OpenAPI openApi) {
        openApi.getPaths().forEach((path, item) -> {
            if (!path.startsWith("/api/") && !path.startsWith("/admin/")) {
                return;
            }
            boolean operator = path.startsWith("/admin/");
            item.readOperations().forEach(operation -> {
                if (operator) {
                    operation.addSecurityItem(new SecurityRequirement().addList(OPERATOR));
                }
                List<ErrorCode> codes = new ArrayList<>();
                if (operation.getRequestBody() != null
                        || (operation.getParameters() != null
                                && !operation.getParameters().isEmpty())) {
                    codes.add(ErrorCode.VALIDATION_ERROR);
                }
                if (operation.getRequestBody() != null) {
                    codes.add(ErrorCode.MALFORMED_REQUEST);
                    codes.add(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
                }
                codes.add(ErrorCode.NOT_ACCEPTABLE);
                // The request guard bounds every request's body in size and time.
                codes.add(ErrorCode.PAYLOAD_TOO_LARGE);
                codes.add(ErrorCode.REQUEST_TIMEOUT);
                // Without a configured operator token the whole operator API answers 404 NOT_FOUND; failed operator
                // authentications are throttled per address.
                codes.addAll(operator ? OPERATOR_OPERATION : EVERY_V1_OPERATION);
                addErrorResponses(operation, codes);
            });
        });
        openApi.getComponents().setExamples(new TreeMap<>(usedExamples(openApi)));
    }

    static void addErrorResponses(Operation operation, List<ErrorCode> codes) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        for (ErrorCode code : codes) {
            String status = Integer.toString(code.status().value());
            ApiResponse response = operation.getResponses().computeIfAbsent(status, key -> new ApiResponse());
            if (response.get$ref() != null) {
                continue;
            }
            if (response.getContent() == null || response.getContent().isEmpty()) {
                response.setContent(new Content()
                        .addMediaType(
                                "application/json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA))));
            }
            response.getContent().values().forEach(media -> {
                if (media.getExamples() == null || !media.getExamples().containsKey(code.name())) {
                    media.addExamples(code.name(), new Example().$ref("#/components/examples/" + code.name()));
                }
            });
            String line = "`" + code.name() + "`: " + code.meaning();
            if (response.getDescription() == null || response.getDescription().isBlank()) {
                response.setDescription(line);
            } else if (!response.getDescription().contains("`" + code.name() + "`")) {
                response.setDescription(response.getDescription()
                        + (response.getDescription().contains("`: ") ? "\n\n" : ".\n\n")
                        + line);
            }
        }
    }

    /** Examples referenced as {@code #/components/examples/<CODE>}: one real error body per code. */
    private static Map<String, Example> usedExamples(OpenAPI openApi) {
        Set<String> used = new HashSet<>();
        openApi.getPaths()
                .values()
                .forEach(item -> item.readOperations()
                        .forEach(operation -> operation.getResponses().values().forEach(response -> {
                            if (response.getContent() != null) {
                                response.getContent().values().forEach(media -> {
                                    if (media.getExamples() != null) {
                                        used.addAll(media.getExamples().keySet());
                                    }
                                });
                            }
                        })));
        Map<String, Example> examples = new LinkedHashMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            if (used.contains(code.name())) {
                examples.put(code.name(), new Example().summary(code.meaning()).value(exampleBody(code)));
            }
        }
        return examples;
    }

    private static Map<String, Object> exampleBody(ErrorCode code) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("success", false);
        example.put("error", code.exampleMessage());
        example.put("error_code", code.name());
        example.put("timestamp", "2026-06-15T12:00:00Z");
        example.put("request_id", "3f1c9b1e-5d7a-4c21-9f55-0d3b8e2a7c10");
        if (code == ErrorCode.VALIDATION_ERROR) {
            example.put("details", List.of(Map.of("field", "limit", "message", "must be less than or equal to 100")));
        } else if (code == ErrorCode.INSTANCE_REQUIRED) {
            example.put("details", List.of(Map.of("field", "instanceName", "message", "is required")));
        }
        return example;
    }

    /** {@code X-Request-Id} on every response, {@code WWW-Authenticate} on 401, {@code Retry-After} on 429 and 503. */
    private static void headers(OpenAPI openApi) {
        openApi.getPaths()
                .values()
                .forEach(item -> item.readOperations()
                        .forEach(operation -> operation.getResponses().forEach((status, response) -> {
                            if (response.get$ref() != null) {
                                return;
                            }
                            if (status.equals("401") && !isBasicAuth(operation)) {
                                addHeader(response, WWW_AUTHENTICATE);
                            }
                            if (status.equals("429") || status.equals("503")) {
                                addHeader(response, RETRY_AFTER);
                            }
                            addHeader(response, REQUEST_ID);
                        })));
    }

    private static boolean isBasicAuth(Operation operation) {
        return operation.getSecurity() != null
                && operation.getSecurity().stream().anyMatch(requirement -> requirement.containsKey("basicAuth"));
    }

    private static void addHeader(ApiResponse response, String name) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeaderObject(name, new Header().$ref("#/components/headers/" + name));
        }
        // springdoc gives annotated header references a default style; a reference takes everything from its target.
        response.getHeaders().values().stream()
                .filter(header -> header.get$ref() != null)
                .forEach(header -> header.setStyle(null));
    }

    /**
     * A request body's nullable field may also be left out: only fields that must carry a value stay required.
     * (Response fields that are present but may be null stay required: the server always writes them.)
     */
    static void requestSchemasAllowAbsentNulls(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Set<String> requestSchemas = new LinkedHashSet<>();
        openApi.getPaths()
                .values()
                .forEach(item -> item.readOperations().forEach(operation -> {
                    if (operation.getRequestBody() != null
                            && operation.getRequestBody().getContent() != null) {
                        operation
                                .getRequestBody()
                                .getContent()
                                .values()
                                .forEach(media -> collectRefs(media.getSchema(), schemas, requestSchemas));
                    }
                }));
        for (String name : requestSchemas) {
            Schema<?> schema = schemas.get(name);
            if (schema.getRequired() == null || schema.getProperties() == null) {
                continue;
            }
            List<String> required = new ArrayList<>(schema.getRequired());
            required.removeIf(property -> isNullable(schema.getProperties().get(property)));
            schema.setRequired(required.isEmpty() ? null : required);
        }
    }

    private static boolean isNullable(Schema<?> property) {
        return property != null
                && ((property.getTypes() != null && property.getTypes().contains("null"))
                        || (property.getOneOf() != null
                                && property.getOneOf().stream()
                                        .anyMatch(option -> option.getTypes() != null
                                                && option.getTypes().contains("null"))));
    }

    static void collectRefs(Schema<?> schema, Map<String, Schema> schemas, Set<String> into) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            if (into.add(name) && schemas.containsKey(name)) {
                collectRefs(schemas.get(name), schemas, into);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> collectRefs(property, schemas, into));
        }
        collectRefs(schema.getItems(), schemas, into);
        for (List<Schema> parts : Arrays.asList(schema.getOneOf(), schema.getAllOf(), schema.getAnyOf())) {
            if (parts != null) {
                parts.forEach(part -> collectRefs(part, schemas, into));
            }
        }
    }

    /** Paths and schemas in alphabetical order, so the committed document changes only when the API does. */
    private static void stableOrder(OpenAPI openApi) {
        Paths sortedPaths = new Paths();
        new TreeMap<>(openApi.getPaths()).forEach(sortedPaths::addPathItem);
        openApi.setPaths(sortedPaths);
        if (openApi.getComponents().getSchemas() != null) {
            openApi.getComponents()
                    .setSchemas(new TreeMap<>(openApi.getComponents().getSchemas()));
        }
    }
}
