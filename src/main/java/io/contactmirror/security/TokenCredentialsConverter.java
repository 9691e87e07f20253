package io.contactmirror.security;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Finds the tenant token a request presents: {@code Authorization: Bearer <uuid-v4>} everywhere; additionally, as the
 * imitated APIs expect, HTTP Basic with the token as password on {@code /user/**} (go-whatsapp-web-multidevice) and the
 * token as last path segment of {@code /waInstance{id}/{method}/{token}} (Green API; {@link PathTokenFilter} has
 * already moved it into a request attribute). No credentials means "not
 * authenticated yet" (null); credentials that are present but malformed fail here with a message saying what is wrong.
 */
final class TokenCredentialsConverter implements AuthenticationConverter {

    private static final Pattern UUID_TEXT =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final String BASIC_PREFIX = "/user/";

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (request.getAttribute(PathTokenFilter.ATTRIBUTE) instanceof String pathToken) {
            return token(pathToken, "The token in the path must be a UUID v4", true);
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return null;
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String credentials = space < 0 ? "" : header.substring(space + 1).trim();
        if ("Bearer".equalsIgnoreCase(scheme)) {
            return token(credentials, "Bearer token must be a UUID v4", false);
        }
        if ("Basic".equalsIgnoreCase(scheme) && request.getRequestURI().startsWith(BASIC_PREFIX)) {
            return token(basicPassword(credentials), "The Basic password must be a tenant token (UUID v4)", false);
        }
        throw new BadCredentialsException("Authorization scheme must be Bearer");
    }

    private static TokenAuthentication token(String value, String problem, boolean fromPath) {
        return TokenAuthentication.unauthenticated(
                parseV4(value).orElseThrow(() -> new BadCredentialsException(problem)), fromPath);
    }

    private static String basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? "" : decoded.substring(colon + 1);
        } catch (IllegalArgumentException ex) {
            throw new BadCredentialsException("Basic credentials are not valid base64");
        }
    }

    static Optional<UUID> parseV4(String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            return Optional.empty();
        }
        UUID uuid = UUID.fromString(value);
        return uuid.version() == 4 && uuid.variant() == 2 ? Optional.of(uuid) : Optional.empty();
    }
}
