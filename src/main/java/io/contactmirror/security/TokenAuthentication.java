package io.contactmirror.security;

import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import java.util.List;
import java.util.UUID;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Before authentication: the secret a client presented. After: the {@link TenantPrincipal} with one
 * {@code SCOPE_*} authority per scope.
 */
final class TokenAuthentication extends AbstractAuthenticationToken {

    private final UUID secret;
    private final boolean fromPath;
    private final TenantPrincipal principal;

    private TokenAuthentication(UUID secret, boolean fromPath, TenantPrincipal principal) {
        super(
                principal == null
                        ? List.of()
                        : principal.scopes().stream()
                                .map(Scope::authority)
                                .map(SimpleGrantedAuthority::new)
                                .toList());
        this.secret = secret;
        this.fromPath = fromPath;
        this.principal = principal;
        setAuthenticated(principal != null);
    }

    static TokenAuthentication unauthenticated(UUID secret, boolean fromPath) {
        return new TokenAuthentication(secret, fromPath, null);
    }

    static TokenAuthentication authenticated(TenantPrincipal principal) {
        return new TokenAuthentication(null, false, principal);
    }

    UUID secret() {
        return secret;
    }

    /** Whether the secret came as the token segment of a Green API path rather than in a header. */
    boolean fromPath() {
        return fromPath;
    }

    @Override
    public String toString() {
        return "TokenAuthentication[" + getName() + "]";
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal == null ? "anonymous" : principal.tokenId().toString();
    }
}
