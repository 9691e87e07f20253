package io.contactmirror.tenant;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: the tenant and user a token acts for, the instance it is bound to (if any) and its scopes.
 * Every tenant-scoped query starts from this, so one tenant never reads another's rows.
 */
public record TenantPrincipal(UUID tokenId, UUID tenantId, UUID userId, Long boundInstanceId, Set<Scope> scopes) {

    public Optional<Long> boundInstance() {
        return Optional.ofNullable(boundInstanceId);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
