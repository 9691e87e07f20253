package io.contactmirror.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes the error envelope from places outside Spring MVC (security filters, the error page). */
@Component
public class ErrorResponseWriter {

    private final JsonMapper jsonMapper;
    private final ErrorBodies errorBodies;

    ErrorResponseWriter(JsonMapper jsonMapper, ErrorBodies errorBodies) {
        this.jsonMapper = jsonMapper;
        this.errorBodies = errorBodies;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message)
            throws IOException {
        write(request, response, code, message, null);
    }

    public void write(
            HttpServletRequest request,
            HttpServletResponse response,
            ErrorCode code,
            String message,
            @Nullable List<ErrorEnvelope.FieldError> details)
            throws IOException {
        response.setStatus(code.status().value());
        if (code.status().value() == 503 && !response.containsHeader(HttpHeaders.RETRY_AFTER)) {
            response.setHeader(HttpHeaders.RETRY_AFTER, ErrorBodies.DEFAULT_RETRY_AFTER_SECONDS);
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        jsonMapper.writeValue(response.getOutputStream(), errorBodies.body(request, code, message, details));
    }
}
