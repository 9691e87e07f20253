package io.contactmirror.security;

import io.contactmirror.tenant.TokenSecrets;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorResponseWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the operator API with the configured operator token. Without one configured, the operator API does not
 * exist (404), so a forgotten setting never leaves it open.
 */
final class OperatorTokenFilter extends OncePerRequestFilter {

    static final String OPERATOR_ROLE = "OPERATOR";

    private final byte[] operatorTokenHash;
    private final ErrorResponseWriter errorWriter;
    private final FailedAuthenticationThrottle throttle;
    private final boolean absentMeansNotFound;

    /**
     * @param absentMeansNotFound answer 404 to everything when no operator token is configured (the operator API);
     *     otherwise requests just stay unauthenticated (actuator endpoints that the management port also serves)
     */
    OperatorTokenFilter(
            String operatorToken,
            ErrorResponseWriter errorWriter,
            FailedAuthenticationThrottle throttle,
            boolean absentMeansNotFound) {
        this.operatorTokenHash =
                operatorToken == null || operatorToken.isBlank() ? null : TokenSecrets.sha256(operatorToken.trim());
        this.errorWriter = errorWriter;
        this.throttle = throttle;
        this.absentMeansNotFound = absentMeansNotFound;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (operatorTokenHash == null) {
            if (absentMeansNotFound) {
                errorWriter.write(request, response, ErrorCode.NOT_FOUND, "No such resource");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
        // Comparing fixed-length hashes with MessageDigest.isEqual takes the same time whatever was sent.
        if (presented != null && MessageDigest.isEqual(operatorTokenHash, TokenSecrets.sha256(presented))) {
            var authentication = UsernamePasswordAuthenticationToken.authenticated(
                    "operator", null, List.of(new SimpleGrantedAuthority("ROLE_" + OPERATOR_ROLE)));
            SecurityContextHolder.getContext().setAuthentication(authentication);
        } else if (header != null) {
            throttle.failed(request);
        }
        chain.doFilter(request, response);
    }
}
