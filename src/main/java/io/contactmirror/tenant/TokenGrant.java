package io.contactmirror.tenant;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A stored token as authentication sees it: who it acts for, what it may do and whether it still may, where it may
 * be presented, and the role of its user (only owners and admins may manage tokens).
 */
public record TokenGrant(
        UUID tokenId,
        UUID tenantId,
        UUID userId,
        Long instanceId,
        Set<Scope> scopes,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt,
        TenantStatus tenantStatus,
        TokenPurpose purpose,
        UserRole userRole) {

    TokenGrant(
            UUID tokenId,
            UUID tenantId,
            UUID userId,
            Long instanceId,
            String[] scopes,
            Instant expiresAt,
            Instant revokedAt,
            Instant lastUsedAt,
            TenantStatus tenantStatus,
            TokenPurpose purpose,
            UserRole userRole) {
        this(
                tokenId,
                tenantId,
                userId,
                instanceId,
                Arrays.stream(scopes)
                        .map(Scope::of)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class))),
                expiresAt,
                revokedAt,
                lastUsedAt,
                tenantStatus,
                purpose,
                userRole);
    }
}
