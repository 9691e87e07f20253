package io.contactmirror.security;

import io.contactmirror.web.DatabaseFailures;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorResponseWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 answered with the API's error envelope and the Bearer challenge. */
final class EnvelopeSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ErrorResponseWriter errorWriter;

    EnvelopeSecurityHandlers(ErrorResponseWriter errorWriter) {
        this.errorWriter = errorWriter;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
            throws IOException {
        if (ex instanceof InternalAuthenticationServiceException) {
            response.setHeader("Retry-After", DatabaseFailures.RETRY_AFTER_SECONDS);
            errorWriter.write(request, response, ErrorCode.SERVICE_UNAVAILABLE, DatabaseFailures.MESSAGE);
            return;
        }
        boolean missing = ex instanceof InsufficientAuthenticationException;
        response.setHeader("WWW-Authenticate", missing ? "Bearer" : "Bearer error=\"invalid_token\"");
        errorWriter.write(
                request,
                response,
                ErrorCode.UNAUTHORIZED,
                missing ? "Authentication required: send Authorization: Bearer <token>" : ex.getMessage());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        errorWriter.write(request, response, ErrorCode.FORBIDDEN, "This token lacks the scope this operation needs");
    }
}
