package io.contactmirror.security;

import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.tenant.TenantStatus;
import io.contactmirror.tenant.TokenGrant;
import io.contactmirror.tenant.TokenPurpose;
import io.contactmirror.tenant.TokenService;
import io.contactmirror.tenant.TokenUsageRecorder;
import io.contactmirror.tenant.UserRole;
import io.contactmirror.web.DatabaseFailures;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/** Authenticates a presented secret against the stored token hashes. */
final class TokenAuthenticationProvider implements AuthenticationProvider {

    private final TokenService tokenService;
    private final TokenUsageRecorder usageRecorder;
    private final Clock clock;

    TokenAuthenticationProvider(TokenService tokenService, TokenUsageRecorder usageRecorder, Clock clock) {
        this.tokenService = tokenService;
        this.usageRecorder = usageRecorder;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        TokenAuthentication presented = (TokenAuthentication) authentication;
        TokenGrant grant;
        try {
            grant = tokenService
                    .findGrant(presented.secret())
                    .orElseThrow(() -> new BadCredentialsException("Unknown token"));
        } catch (RuntimeException ex) {
            if (DatabaseFailures.isUnavailable(ex)) {
                // Not the client's fault: answered 503 by the entry point, never 401.
                throw new InternalAuthenticationServiceException("token store unavailable", ex);
            }
            throw ex;
        }
        Instant now = clock.instant();
        if (grant.revokedAt() != null) {
            throw new BadCredentialsException("Token has been revoked");
        }
        if (grant.expiresAt() != null && !grant.expiresAt().isAfter(now)) {
            throw new CredentialsExpiredException("Token has expired");
        }
        if (grant.tenantStatus() != TenantStatus.ACTIVE) {
            throw new DisabledException("Tenant is disabled");
        }
        // A path token must never work in a header, nor another token in a path: a leaked URL then exposes only
        // one instance's contacts, and the URL form never carries a powerful token.
        if (presented.fromPath() != (grant.purpose() == TokenPurpose.GREEN_API_PATH)) {
            throw new BadCredentialsException(
                    presented.fromPath()
                            ? "Only a token created with purpose green_api_path works in this path"
                            : "A green_api_path token works only in the Green API path");
        }
        usageRecorder.recordUse(grant, now);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        scopes.addAll(grant.scopes());
        if (grant.userRole() != UserRole.OWNER && grant.userRole() != UserRole.ADMIN) {
            scopes.remove(Scope.TOKENS_MANAGE);
        }
        return TokenAuthentication.authenticated(
                new TenantPrincipal(grant.tokenId(), grant.tenantId(), grant.userId(), grant.instanceId(), scopes));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return TokenAuthentication.class.isAssignableFrom(authentication);
    }
}
