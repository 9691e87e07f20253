package io.contactmirror.support;

import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.tenant.TenantService;
import io.contactmirror.tenant.TokenPurpose;
import io.contactmirror.tenant.TokenService;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Creates tenants and tokens for tests through the same services the API uses. */
@Component
public class TestTenants {

    private final TenantService tenantService;
    private final TokenService tokenService;

    public TestTenants(TenantService tenantService, TokenService tokenService) {
        this.tenantService = tenantService;
        this.tokenService = tokenService;
    }

    public record TestTenant(UUID tenantId, UUID userId, String slug, String token) {
        public String bearer() {
            return "Bearer " + token;
        }
    }

    public TestTenant create() {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        var onboarded = tenantService.onboard(slug, "Tenant " + slug, slug + "@example.com", "Owner");
        return new TestTenant(
                onboarded.tenant().getId(),
                onboarded.owner().getId(),
                slug,
                onboarded.token().secret().toString());
    }

    /** A Green API path token (read-only, bound to the instance), issued as the tokens API issues it. */
    public String pathToken(TestTenant tenant, long instanceId) {
        var owner = new TenantPrincipal(tenantToken(tenant), tenant.tenantId(), tenant.userId(), null, Scope.all());
        return tokenService
                .issueChild(
                        owner,
                        instanceId,
                        "green api",
                        java.util.EnumSet.of(Scope.CONTACTS_READ),
                        null,
                        TokenPurpose.GREEN_API_PATH)
                .secret()
                .toString();
    }

    private UUID tenantToken(TestTenant tenant) {
        return tokenService
                .findGrant(UUID.fromString(tenant.token()))
                .orElseThrow()
                .tokenId();
    }

    public String token(TestTenant tenant, Set<Scope> scopes, Instant expiresAt, Long instanceId) {
        return tokenService
                .issue(tenant.tenantId(), tenant.userId(), instanceId, "test", scopes, expiresAt)
                .secret()
                .toString();
    }
}
