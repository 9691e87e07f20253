package io.contactmirror.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * The edge every request passes before anything reads it: query parameters must decode and hold text PostgreSQL
 * can store, the headers the API reads must be printable ASCII, and the body must fit the route's limit, arrive in
 * time, and (when JSON) have bounded depth and array sizes and no NUL, checked while streaming, before any object
 * is built. Refusals name the field.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
@EnableConfigurationProperties(RequestLimitsProperties.class)
class RequestGuardFilter extends OncePerRequestFilter {

    private static final List<String> READ_HEADERS =
            List.of("X-Device-Id", HttpHeaders.IF_MATCH, HttpHeaders.ACCEPT, HttpHeaders.CONTENT_TYPE);

    private final RequestLimitsProperties limits;
    private final ErrorResponseWriter errorWriter;
    private final JsonFactory jsonFactory;

    RequestGuardFilter(RequestLimitsProperties limits, ErrorResponseWriter errorWriter) {
        this.limits = limits;
        this.errorWriter = errorWriter;
        this.jsonFactory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxJsonDepth())
                        .maxDocumentLength(Math.max(
                                limits.maxBody().toBytes(),
                                limits.maxContactPatchBody().toBytes()))
                        .build())
                .build();
    }

    private record Refusal(ErrorCode code, String message, ErrorEnvelope.FieldError detail) {
        static Refusal field(String field, String problem) {
            return new Refusal(
                    ErrorCode.VALIDATION_ERROR, "validation failed", new ErrorEnvelope.FieldError(field, problem));
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Refusal refusal = checkParameters(request);
        if (refusal == null) {
            refusal = checkHeaders(request);
        }
        HttpServletRequest forwarded = request;
        if (refusal == null && hasBody(request)) {
            long limit = bodyLimit(request);
            if (request.getContentLengthLong() > limit) {
                refusal = tooLarge(limit);
            } else {
                byte[] body;
                try {
                    body = readBody(request.getInputStream(), limit);
                } catch (IOException ex) {
                    // A read timed out or the client went away mid-body; answering may still reach a slow client.
                    refuse(
                            request,
                            response,
                            new Refusal(ErrorCode.REQUEST_TIMEOUT, ErrorCode.REQUEST_TIMEOUT.defaultMessage(), null));
                    return;
                }
                if (body == null) {
                    refusal = tooLarge(limit);
                } else if (body == TIMED_OUT) {
                    refusal = new Refusal(ErrorCode.REQUEST_TIMEOUT, ErrorCode.REQUEST_TIMEOUT.defaultMessage(), null);
                } else {
                    if (isJson(request)) {
                        refusal = checkJson(body);
                    }
                    forwarded = new CachedBodyRequest(request, body);
                }
            }
        }
        if (refusal != null) {
            refuse(request, response, refusal);
            return;
        }
        chain.doFilter(forwarded, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal) throws IOException {
        if (refusal.code() == ErrorCode.PAYLOAD_TOO_LARGE || refusal.code() == ErrorCode.REQUEST_TIMEOUT) {
            // The rest of an oversized or stalled body is not worth reading: close the connection after answering.
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        errorWriter.write(
                request,
                response,
                refusal.code(),
                refusal.message(),
                refusal.detail() == null ? null : List.of(refusal.detail()));
    }

    private static Refusal tooLarge(long limit) {
        return new Refusal(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "Request body too large for this route (at most " + limit + " bytes)",
                null);
    }

    private static Refusal checkParameters(HttpServletRequest request) {
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (RuntimeException ex) {
            // Tomcat refuses to decode broken escapes or bytes that are not UTF-8 when the map is first built.
            return Refusal.field("query", "cannot be decoded: use %XX escapes of UTF-8 bytes");
        }
        for (var parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (name.isEmpty() || !storable(name, false)) {
                return Refusal.field("query", "has a parameter with an empty or unreadable name");
            }
            for (String value : parameter.getValue()) {
                if (!storable(value, false)) {
                    return Refusal.field(name, "must not contain NUL, control characters or unpaired surrogates");
                }
            }
        }
        return null;
    }

    private static Refusal checkHeaders(HttpServletRequest request) {
        for (String header : READ_HEADERS) {
            var values = request.getHeaders(header);
            while (values != null && values.hasMoreElements()) {
                String value = values.nextElement();
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c < 0x20 || c > 0x7e) {
                        return Refusal.field(header, "must be printable ASCII");
                    }
                }
            }
        }
        return null;
    }

    /** True when text fits a PostgreSQL text column: no NUL, no unpaired surrogate; parameters also no controls. */
    static boolean storable(String text, boolean controlsAllowed) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || (!controlsAllowed && (c < 0x20 || c == 0x7f))) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private long bodyLimit(HttpServletRequest request) {
        String path = request.getRequestURI();
        if ("PATCH".equals(request.getMethod()) && path.startsWith("/api/v1/contacts/")) {
            return limits.maxContactPatchBody().toBytes();
        }
        return limits.maxBody().toBytes();
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json");
    }

    private static final byte[] TIMED_OUT = new byte[0];

    /** The body, or null when it is longer than the limit, or {@link #TIMED_OUT} when it took too long. */
    private byte[] readBody(InputStream in, long limit) throws IOException {
        long deadline = System.nanoTime() + limits.bodyReadTimeout().toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) != -1) {
            out.write(buffer, 0, read);
            if (out.size() > limit) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return TIMED_OUT;
            }
        }
        return out.toByteArray();
    }

    private Refusal checkJson(byte[] body) {
        // One counter per open container; objects get -1 because only array elements are counted.
        Deque<int[]> containers = new ArrayDeque<>();
        try (JsonParser parser = jsonFactory.createParser(ObjectReadContext.empty(), body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.END_ARRAY || token == JsonToken.END_OBJECT) {
                    containers.pop();
                    continue;
                }
                if (token != JsonToken.PROPERTY_NAME
                        && !containers.isEmpty()
                        && containers.peek()[0] >= 0
                        && ++containers.peek()[0] > limits.maxJsonArrayLength()) {
                    return Refusal.field(path(parser), "has more than " + limits.maxJsonArrayLength() + " elements");
                }
                switch (token) {
                    case START_ARRAY -> containers.push(new int[] {0});
                    case START_OBJECT -> containers.push(new int[] {-1});
                    case PROPERTY_NAME, VALUE_STRING -> {
                        if (!storable(parser.getString(), true)) {
                            return Refusal.field(path(parser), "must not contain NUL or unpaired surrogates");
                        }
                    }
                    default -> {}
                }
            }
        } catch (StreamConstraintsException ex) {
            return new Refusal(
                    ErrorCode.MALFORMED_REQUEST,
                    "JSON body nested deeper than " + limits.maxJsonDepth() + " levels or too long",
                    null);
        } catch (JacksonException ex) {
            // Not valid JSON: the handler's own parsing answers that, in the route's usual way.
            return null;
        }
        return null;
    }

    /** The JSON path of the parser's position as the API names fields: {@code identifiers[3]}, {@code customData.a}. */
    private static String path(JsonParser parser) {
        String pointer = parser.streamReadContext().pathAsPointer().toString();
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(storable(name, false) ? name : "?");
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    /** The request with its body already read into memory. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = StandardCharsets.UTF_8;
            try {
                if (encoding != null && Charset.isSupported(encoding)) {
                    charset = Charset.forName(encoding);
                }
            } catch (IllegalArgumentException ex) {
                // An illegal charset name: read the JSON as UTF-8, as RFC 8259 says it is.
            }
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
