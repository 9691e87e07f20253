package io.contactmirror.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: Bearer <uuid-v4>}. No header means "not authenticated yet" (null); a header that
 * is present but malformed fails right here, with a message that says what is wrong.
 */
final class BearerTokenConverter implements AuthenticationConverter {

    private static final Pattern UUID_TEXT =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return null;
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!"Bearer".equalsIgnoreCase(scheme)) {
            throw new BadCredentialsException("Authorization scheme must be Bearer");
        }
        return TokenAuthentication.unauthenticated(parseV4(header.substring(space + 1).trim())
                .orElseThrow(() -> new BadCredentialsException("Bearer token must be a UUID v4")));
    }

    static Optional<UUID> parseV4(String value) {
        if (!UUID_TEXT.matcher(value).matches()) {
            return Optional.empty();
        }
        UUID uuid = UUID.fromString(value);
        return uuid.version() == 4 && uuid.variant() == 2 ? Optional.of(uuid) : Optional.empty();
    }
}
