package io.contactmirror.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** Builds every error response: the envelope, or the shape a route's {@link ErrorStyle} asks for. */
@Component
public class ErrorBodies {

    /**
     * What a 503 sends when its thrower named no wait: the contract promises {@code Retry-After} on every 503, and
     * the short waits (a session held by another replica, a pairing code not yet there) are about a second.
     */
    static final String DEFAULT_RETRY_AFTER_SECONDS = "1";

    private final List<ErrorStyle> styles;

    ErrorBodies(List<ErrorStyle> styles) {
        this.styles = styles;
    }

    public Object body(
            HttpServletRequest request,
            ErrorCode code,
            String message,
            @Nullable List<ErrorEnvelope.FieldError> details) {
        String requestId = RequestIdFilter.of(request);
        for (ErrorStyle style : styles) {
            if (style.appliesTo(request)) {
                // Seed shapes have no details list, so the first detail goes into the message.
                String text = details == null || details.isEmpty()
                        ? message
                        : message + ": " + details.getFirst().field() + " "
                                + details.getFirst().message();
                return style.body(code, text, requestId);
            }
        }
        return ErrorEnvelope.of(code, message, requestId, details);
    }

    /** 503 with a retry hint: the database is down, restarting or out of connections (see {@link DatabaseFailures}). */
    public ResponseEntity<Object> databaseUnavailable(HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, DatabaseFailures.RETRY_AFTER_SECONDS);
        return response(request, ErrorCode.SERVICE_UNAVAILABLE, DatabaseFailures.MESSAGE, null, headers);
    }

    public ResponseEntity<Object> response(
            HttpServletRequest request,
            ErrorCode code,
            String message,
            @Nullable List<ErrorEnvelope.FieldError> details,
            @Nullable HttpHeaders headers) {
        HttpHeaders responseHeaders = new HttpHeaders();
        if (headers != null) {
            responseHeaders.addAll(headers);
        }
        if (code.status().value() == 503 && !responseHeaders.containsHeader(HttpHeaders.RETRY_AFTER)) {
            responseHeaders.set(HttpHeaders.RETRY_AFTER, DEFAULT_RETRY_AFTER_SECONDS);
        }
        // A preset content type makes MVC write JSON even when the client's Accept header excluded it (406).
        responseHeaders.setContentType(MediaType.APPLICATION_JSON);
        return ResponseEntity.status(code.status())
                .headers(responseHeaders)
                .body(body(request, code, message, details));
    }
}
