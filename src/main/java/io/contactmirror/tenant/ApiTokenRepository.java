package io.contactmirror.tenant;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiTokenRepository extends JpaRepository<ApiToken, UUID> {

    /** Everything authentication needs, in one indexed lookup (api_tokens.token_hash is unique). */
    @Query("""
            select new io.contactmirror.tenant.TokenGrant(
                t.id, t.tenantId, t.userId, t.instanceId, t.scopes, t.expiresAt, t.revokedAt, t.lastUsedAt, tenant.status)
            from ApiToken t join Tenant tenant on tenant.id = t.tenantId
            where t.tokenHash = :hash""")
    Optional<TokenGrant> findGrantByHash(byte[] hash);

    Page<ApiToken> findByTenantId(UUID tenantId, Pageable pageable);

    Optional<ApiToken> findByIdAndTenantId(UUID id, UUID tenantId);

    @Modifying
    @Query("update ApiToken t set t.lastUsedAt = :usedAt where t.id = :id and (t.lastUsedAt is null or t.lastUsedAt < :usedAt)")
    int recordUse(UUID id, Instant usedAt);
}
