package io.contactmirror.client;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.WebUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks every response the server sends against the committed {@code openapi/openapi.yaml}: the status is declared
 * for the operation, the media type is declared for the status, the body validates against its JSON Schema (OpenAPI
 * 3.1 dialect, formats asserted), and every required header is there. It sits in front of the whole filter chain,
 * so authentication errors are checked too. The end-to-end tests import it and fail on any violation: a schema
 * that lies about what the server sends fails the build.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ContractValidation {

    static final Path CONTRACT = Path.of("openapi/openapi.yaml");
    /** The contract's identifier inside the schema registry (never fetched: the registry holds the text). */
    private static final String CONTRACT_IRI = "https://contract.contactmirror.test/openapi.yaml";

    private final JsonNode contract;
    private final SchemaRegistry schemas;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Schema> schemaCache = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> checked = new ConcurrentHashMap<>();
    private final JsonMapper json = JsonMapper.builder().build();

    public ContractValidation() throws IOException {
        String text = Files.readString(CONTRACT);
        this.contract = YAMLMapper.builder().build().readTree(text);
        this.schemas = SchemaRegistry.withDialect(
                Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(CONTRACT_IRI, text))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build()));
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        contract.get("paths").properties().iterator();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            routes.add(new Route(path.getKey()));
        }
        // The most literal template wins: /qr.png before /qr, /lookup before /{id}.
        routes.sort(Comparator.comparingInt(Route::literalLength).reversed());
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> contractValidationFilter() {
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new Filter());
        // Inside the request-id filter (its header is set by then), outside Spring Security.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Everything that did not match the contract, one line each. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** How many responses were checked per operation ({@code METHOD template}). */
    public Map<String, Integer> checkedOperations() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        checked.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    /** Media types whose bodies are streamed text rather than one JSON document. */
    private static final java.util.Set<String> STREAMED_TEXT =
            java.util.Set.of("text/event-stream", "application/x-ndjson", "text/csv");

    /** Whether the operation answers with a live stream, which must reach the client unbuffered. */
    boolean streams(String method, String uri) {
        Route route = routes.stream()
                .filter(candidate -> candidate.matches(uri))
                .findFirst()
                .orElse(null);
        JsonNode operation =
                route == null ? null : contract.get("paths").get(route.template).get(method.toLowerCase(Locale.ROOT));
        return operation != null
                && operation.path("responses").path("200").path("content").has("text/event-stream");
    }

    /** {@code body} is null for a live stream: its status, media type and headers are checked, not its events. */
    void check(String method, String uri, int status, String contentType, byte[] body, HeaderLookup headers) {
        Route route = routes.stream()
                .filter(candidate -> candidate.matches(uri))
                .findFirst()
                .orElse(null);
        String where = method + " " + uri + " → " + status;
        if (route == null) {
            return;
        }
        JsonNode operation = contract.get("paths").get(route.template).get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            violations.add(where + ": method not in the contract");
            return;
        }
        checked.computeIfAbsent(method + " " + route.template, key -> new AtomicInteger())
                .incrementAndGet();
        JsonNode response = operation.get("responses").get(Integer.toString(status));
        if (response == null) {
            response = operation.get("responses").get("default");
        }
        if (response == null) {
            violations.add(where + ": status not declared ("
                    + operation.get("operationId").asString() + ")");
            return;
        }
        checkHeaders(where, response, headers);
        JsonNode content = response.get("content");
        if (content == null || content.isEmpty()) {
            if (body != null && body.length > 0) {
                violations.add(where + ": a body (" + contentType + ") where the contract declares none");
            }
            return;
        }
        String mediaType =
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!content.has(mediaType)) {
            violations.add(where + ": media type '" + mediaType + "' not declared (" + content.propertyNames() + ")");
            return;
        }
        if (body != null && mediaType.equals("application/x-ndjson")) {
            // Each line of the export is a contact exactly as the list shows it.
            Schema contact = schemaCache.computeIfAbsent(
                    "#/components/schemas/ContactView",
                    key -> schemas.getSchema(SchemaLocation.of(CONTRACT_IRI + key)));
            new String(body, java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .forEach(line -> contact.validate(json.readTree(line))
                            .forEach(error -> violations.add(where + ": " + error)));
            return;
        }
        if (body == null || STREAMED_TEXT.contains(mediaType)) {
            // A live stream (passed through unbuffered) or a CSV export: no JSON Schema to check.
            return;
        }
        if (body.length == 0) {
            violations.add(where + ": empty body where the contract declares " + mediaType);
            return;
        }
        if (mediaType.equals("image/png")) {
            if (body.length < 8 || body[1] != 'P' || body[2] != 'N' || body[3] != 'G') {
                violations.add(where + ": not a PNG");
            }
            return;
        }
        String pointer = "#/paths/" + escape(route.template) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                + escape(response == operation.get("responses").get("default") ? "default" : Integer.toString(status))
                + "/content/" + escape(mediaType) + "/schema";
        Schema schema =
                schemaCache.computeIfAbsent(pointer, key -> schemas.getSchema(SchemaLocation.of(CONTRACT_IRI + key)));
        JsonNode instance;
        try {
            instance = json.readTree(body);
        } catch (RuntimeException ex) {
            violations.add(where + ": body is not JSON: " + ex.getMessage());
            return;
        }
        List<Error> errors = schema.validate(instance);
        errors.forEach(error -> violations.add(where + ": " + error));
    }

    private void checkHeaders(String where, JsonNode response, HeaderLookup headers) {
        JsonNode declared = response.get("headers");
        if (declared == null) {
            return;
        }
        declared.properties().forEach(entry -> {
            JsonNode header = entry.getValue();
            if (header.has("$ref")) {
                String ref = header.get("$ref").asString();
                header = contract.at(ref.substring(1));
            }
            String value = headers.get(entry.getKey());
            if (header.path("required").asBoolean(false) && value == null) {
                violations.add(where + ": required header " + entry.getKey() + " missing");
            }
            String pattern = header.path("schema").path("pattern").asString(null);
            if (value != null
                    && pattern != null
                    && !Pattern.compile(pattern).matcher(value).find()) {
                violations.add(where + ": header " + entry.getKey() + " '" + value + "' does not match " + pattern);
            }
        });
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }

    interface HeaderLookup {
        String get(String name);
    }

    private static final class Route {
        final String template;
        final Pattern pattern;

        Route(String template) {
            this.template = template;
            this.pattern =
                    Pattern.compile("^" + Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$");
        }

        boolean matches(String uri) {
            return pattern.matcher(uri).matches();
        }

        int literalLength() {
            return template.replaceAll("\\{[^}]+}", "").length();
        }
    }

    /** Buffers each response (across async dispatches, like Spring's ShallowEtagHeaderFilter) and checks it. */
    private final class Filter extends OncePerRequestFilter {

        @Override
        protected boolean shouldNotFilterAsyncDispatch() {
            return false;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (streams(request.getMethod(), request.getRequestURI())) {
                if (!isAsyncDispatch(request)) {
                    chain.doFilter(request, response);
                    // An open stream has sent its status and headers by now; an error has its whole answer.
                    check(
                            request.getMethod(),
                            request.getRequestURI(),
                            response.getStatus(),
                            response.getContentType(),
                            null,
                            response::getHeader);
                } else {
                    chain.doFilter(request, response);
                }
                return;
            }
            HttpServletResponse used = response;
            if (!isAsyncDispatch(request)
                    && WebUtils.getNativeResponse(response, ContentCachingResponseWrapper.class) == null) {
                used = new ContentCachingResponseWrapper(response);
            }
            chain.doFilter(request, used);
            if (isAsyncStarted(request)) {
                return;
            }
            ContentCachingResponseWrapper cached =
                    WebUtils.getNativeResponse(used, ContentCachingResponseWrapper.class);
            if (cached == null) {
                return;
            }
            try {
                check(
                        request.getMethod(),
                        request.getRequestURI(),
                        cached.getStatus(),
                        cached.getContentType(),
                        cached.getContentAsByteArray(),
                        cached::getHeader);
            } catch (RuntimeException ex) {
                violations.add(request.getMethod() + " " + request.getRequestURI() + ": validation failed: " + ex);
            }
            cached.copyBodyToResponse();
        }
    }
}
