package io.contactmirror.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/** Builds every error response: the envelope, or the shape a route's {@link ErrorStyle} asks for. */
@Component
public class ErrorBodies {

    private final List<ErrorStyle> styles;

    ErrorBodies(List<ErrorStyle> styles) {
        this.styles = styles;
    }

    public Object body(HttpServletRequest request, ErrorCode code, String message, @Nullable List<ErrorResponse.FieldError> details) {
        String requestId = RequestIdFilter.of(request);
        for (ErrorStyle style : styles) {
            if (style.appliesTo(request)) {
                // Seed shapes have no details list, so the first detail goes into the message.
                String text = details == null || details.isEmpty()
                        ? message
                        : message + ": " + details.getFirst().field() + " " + details.getFirst().message();
                return style.body(code, text, requestId);
            }
        }
        return ErrorResponse.of(code, message, requestId, details);
    }

    public ResponseEntity<Object> response(
            HttpServletRequest request,
            ErrorCode code,
            String message,
            @Nullable List<ErrorResponse.FieldError> details,
            @Nullable HttpHeaders headers) {
        HttpHeaders responseHeaders = new HttpHeaders();
        if (headers != null) {
            responseHeaders.addAll(headers);
        }
        // A preset content type makes MVC write JSON even when the client's Accept header excluded it (406).
        responseHeaders.setContentType(MediaType.APPLICATION_JSON);
        return ResponseEntity.status(code.status()).headers(responseHeaders).body(body(request, code, message, details));
    }
}
