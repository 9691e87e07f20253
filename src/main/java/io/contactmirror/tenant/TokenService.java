package io.contactmirror.tenant;

import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.PageResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
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
    private final Map<ByteBuffer, CachedGrant> grantCache = new ConcurrentHashMap<>();

    TokenService(ApiTokenRepository tokens, @Value("${contactmirror.tokens.cache-ttl:PT5S}") Duration cacheTtl) {
        this.tokens = tokens;
        this.cacheTtl = cacheTtl;
    }

    private record CachedGrant(Optional<TokenGrant> grant, Instant expiresAt) {}

    @Transactional
    public IssuedToken issue(
            UUID tenantId, UUID userId, Long instanceId, String label, Set<Scope> scopes, Instant expiresAt) {
        UUID secret = UUID.randomUUID();
        ApiToken token =
                tokens.save(new ApiToken(tenantId, userId, instanceId, label, scopes, TokenSecrets.hash(secret), expiresAt));
        return new IssuedToken(token, secret);
    }

    /**
     * The grant of a presented secret. Grants are cached for {@code contactmirror.tokens.cache-ttl} (default 5 s) to
     * spare a query per request; revoking a token or disabling a tenant evicts at once on this replica, other
     * replicas notice within the TTL.
     */
    @Transactional(readOnly = true)
    public Optional<TokenGrant> findGrant(UUID secret) {
        if (cacheTtl.isZero()) {
            return tokens.findGrantByHash(TokenSecrets.hash(secret));
        }
        ByteBuffer key = ByteBuffer.wrap(TokenSecrets.hash(secret));
        Instant now = Instant.now();
        CachedGrant cached = grantCache.get(key);
        if (cached != null && cached.expiresAt().isAfter(now)) {
            return cached.grant();
        }
        Optional<TokenGrant> grant = tokens.findGrantByHash(key.array());
        if (grantCache.size() >= MAX_CACHED_GRANTS) {
            grantCache.clear();
        }
        grantCache.put(key, new CachedGrant(grant, now.plus(cacheTtl)));
        return grant;
    }

    void evictTenant(UUID tenantId) {
        evictAfterCommit(grant -> grant.tenantId().equals(tenantId));
    }

    private void evictToken(UUID tokenId) {
        evictAfterCommit(grant -> grant.tokenId().equals(tokenId));
    }

    /** After the commit, so a request racing the change cannot cache the old grant again. */
    private void evictAfterCommit(java.util.function.Predicate<TokenGrant> matches) {
        Runnable evict = () -> grantCache.values().removeIf(cached -> cached.grant().map(matches::test).orElse(false));
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
        var result = tokens.findByTenantId(
                tenantId, PageRequest.of(page - 1, limit, Sort.by("createdAt", "id")));
        return new PageResult<>(result.getContent(), result.getTotalElements(), page, limit);
    }

    @Transactional(readOnly = true)
    public ApiToken get(UUID tenantId, UUID tokenId) {
        return tokens.findByIdAndTenantId(tokenId, tenantId)
                .orElseThrow(() -> new ApiException(ErrorCode.TOKEN_NOT_FOUND, "Token not found"));
    }

    @Transactional
    public ApiToken revoke(UUID tenantId, UUID tokenId) {
        ApiToken token = get(tenantId, tokenId);
        token.revoke();
        evictToken(tokenId);
        return token;
    }
}
