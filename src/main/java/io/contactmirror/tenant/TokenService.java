package io.contactmirror.tenant;

import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.PageResult;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Issues, lists, revokes and looks up API tokens. */
@Service
public class TokenService {

    private final ApiTokenRepository tokens;

    TokenService(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    @Transactional
    public IssuedToken issue(
            UUID tenantId, UUID userId, Long instanceId, String label, Set<Scope> scopes, Instant expiresAt) {
        UUID secret = UUID.randomUUID();
        ApiToken token =
                tokens.save(new ApiToken(tenantId, userId, instanceId, label, scopes, TokenSecrets.hash(secret), expiresAt));
        return new IssuedToken(token, secret);
    }

    @Transactional(readOnly = true)
    public Optional<TokenGrant> findGrant(UUID secret) {
        return tokens.findGrantByHash(TokenSecrets.hash(secret));
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
        return token;
    }
}
