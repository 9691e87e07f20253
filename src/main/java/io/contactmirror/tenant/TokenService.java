package io.contactmirror.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.PageResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Issues, lists, revokes and looks up API tokens. */
@Service
public class TokenService {

    private static final int MAX_CACHED_GRANTS = 10_000;

    private final ApiTokenRepository tokens;
    private final Duration cacheTtl;
    // Unknown secrets are cached too (as empty), so a client retrying a bad token costs no query per request.
    private final Cache<ByteBuffer, Optional<TokenGrant>> grantCache;

    TokenService(ApiTokenRepository tokens, TokenProperties properties, MeterRegistry meters) {
        this.tokens = tokens;
        this.cacheTtl = properties.cacheTtl();
        this.grantCache = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED_GRANTS)
                .expireAfterWrite(cacheTtl)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, grantCache, "tokenGrants");
    }

    /** Issues an API token that no other token created (onboarding, the operator). */
    @Transactional
    public IssuedToken issue(
            UUID tenantId, UUID userId, Long instanceId, String label, Set<Scope> scopes, Instant expiresAt) {
        return save(new ApiToken(tenantId, userId, instanceId, label, scopes, null, expiresAt, null, TokenPurpose.API));
    }

    /**
     * Issues a token on behalf of the presenting token, which becomes its parent: it expires no later than the parent
     * and is revoked with it.
     */
    @Transactional
    public IssuedToken issueChild(
            TenantPrincipal parent,
            Long instanceId,
            String label,
            Set<Scope> scopes,
            Instant expiresAt,
            TokenPurpose purpose) {
        Instant parentExpiry = tokens.findByIdAndTenantId(parent.tokenId(), parent.tenantId())
                .map(ApiToken::getExpiresAt)
                .orElse(null);
        Instant capped = parentExpiry != null && (expiresAt == null || expiresAt.isAfter(parentExpiry))
                ? parentExpiry
                : expiresAt;
        return save(new ApiToken(
                parent.tenantId(),
                parent.userId(),
                instanceId,
                label,
                scopes,
                null,
                capped,
                parent.tokenId(),
                purpose));
    }

    private IssuedToken save(ApiToken unsaved) {
        UUID secret = UUID.randomUUID();
        unsaved.hashSecret(TokenSecrets.hash(secret));
        return new IssuedToken(tokens.save(unsaved), secret);
    }

    /**
     * The grant of a presented secret. Grants are cached for {@code contactmirror.tokens.cache-ttl} (default 5 s) to
     * spare a query per request; revoking a token or disabling a tenant evicts at once on this replica, other
     * replicas notice within the TTL. Not transactional: a cached grant needs no connection, and the lookup is one
     * query.
     */
    public Optional<TokenGrant> findGrant(UUID secret) {
        if (cacheTtl.isZero()) {
            return tokens.findGrantByHash(TokenSecrets.hash(secret));
        }
        ByteBuffer key = ByteBuffer.wrap(TokenSecrets.hash(secret));
        Optional<TokenGrant> cached = grantCache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        // Not Cache.get(key, loader): that would hold Caffeine's lock for this key across a database query.
        Optional<TokenGrant> grant = tokens.findGrantByHash(key.array());
        grantCache.put(key, grant);
        return grant;
    }

    void evictTenant(UUID tenantId) {
        evictAfterCommit(grant -> grant.tenantId().equals(tenantId));
    }

    /** After the commit, so a request racing the change cannot cache the old grant again. */
    private void evictAfterCommit(Predicate<TokenGrant> matches) {
        Runnable evict = () -> grantCache
                .asMap()
                .values()
                .removeIf(cached -> cached.map(matches::test).orElse(false));
        evict.run();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    evict.run();
                }
            });
        }
    }

    @Transactional(readOnly = true)
    public PageResult<ApiToken> list(UUID tenantId, int page, int limit) {
        var result = tokens.findByTenantId(tenantId, PageRequest.of(page - 1, limit, Sort.by("createdAt", "id")));
        return new PageResult<>(result.getContent(), result.getTotalElements(), page, limit);
    }

    /** The tokens a caller may see: an instance-bound token sees only itself, others the whole tenant. */
    @Transactional(readOnly = true)
    public PageResult<ApiToken> visibleTo(TenantPrincipal principal, int page, int limit) {
        if (principal.boundInstanceId() == null) {
            return list(principal.tenantId(), page, limit);
        }
        List<ApiToken> own = page == 1
                ? tokens.findByIdAndTenantId(principal.tokenId(), principal.tenantId()).stream()
                        .toList()
                : List.of();
        return new PageResult<>(own, 1, page, limit);
    }

    /** One token the caller may see (see {@link #visibleTo}); others are "not found", not "forbidden". */
    @Transactional(readOnly = true)
    public ApiToken getVisible(TenantPrincipal principal, UUID tokenId) {
        if (principal.boundInstanceId() != null && !principal.tokenId().equals(tokenId)) {
            throw new ApiException(ErrorCode.TOKEN_NOT_FOUND, "Token not found");
        }
        return get(principal.tenantId(), tokenId);
    }

    @Transactional(readOnly = true)
    public ApiToken get(UUID tenantId, UUID tokenId) {
        return tokens.findByIdAndTenantId(tokenId, tenantId)
                .orElseThrow(() -> new ApiException(ErrorCode.TOKEN_NOT_FOUND, "Token not found"));
    }

    /** Revokes a token the caller may see, and every token issued under it. */
    @Transactional
    public void revoke(TenantPrincipal principal, UUID tokenId) {
        getVisible(principal, tokenId);
        tokens.revokeLine(tokenId, principal.tenantId(), Instant.now());
        evictTenant(principal.tenantId());
    }
}
