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
                t.id, t.tenantId, t.userId, t.instanceId, t.scopes, t.expiresAt, t.revokedAt, t.lastUsedAt, tenant.status,
                t.purpose, u.role)
            from ApiToken t join Tenant tenant on tenant.id = t.tenantId join TenantUser u on u.id = t.userId
            where t.tokenHash = :hash""")
    Optional<TokenGrant> findGrantByHash(byte[] hash);

    Page<ApiToken> findByTenantId(UUID tenantId, Pageable pageable);

    Optional<ApiToken> findByIdAndTenantId(UUID id, UUID tenantId);

    /** Revokes a token and every token created under it, at any depth (api_tokens_parent_idx). */
    @Modifying
    @Query(nativeQuery = true, value = """
            WITH RECURSIVE line AS (
                SELECT id FROM api_tokens WHERE id = :id AND tenant_id = :tenantId
                UNION
                SELECT child.id FROM api_tokens child JOIN line ON child.parent_token_id = line.id)
            UPDATE api_tokens SET revoked_at = :revokedAt
            WHERE id IN (SELECT id FROM line) AND revoked_at IS NULL""")
    int revokeLine(UUID id, UUID tenantId, Instant revokedAt);

    @Modifying
    @Query(
            "update ApiToken t set t.lastUsedAt = :usedAt where t.id = :id and (t.lastUsedAt is null or t.lastUsedAt < :usedAt)")
    int recordUse(UUID id, Instant usedAt);
}
