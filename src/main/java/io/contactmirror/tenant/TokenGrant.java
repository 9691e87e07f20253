package io.contactmirror.tenant;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A stored token as authentication sees it: who it acts for, what it may do and whether it still may. */
public record TokenGrant(
        UUID tokenId,
        UUID tenantId,
        UUID userId,
        Long instanceId,
        Set<Scope> scopes,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt,
        TenantStatus tenantStatus) {

    TokenGrant(
            UUID tokenId,
            UUID tenantId,
            UUID userId,
            Long instanceId,
            String[] scopes,
            Instant expiresAt,
            Instant revokedAt,
            Instant lastUsedAt,
            TenantStatus tenantStatus) {
        this(
                tokenId,
                tenantId,
                userId,
                instanceId,
                Arrays.stream(scopes).map(Scope::of).collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class))),
                expiresAt,
                revokedAt,
                lastUsedAt,
                tenantStatus);
    }
}
