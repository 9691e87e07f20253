package io.contactmirror.tenant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.contactmirror.web.PageResult;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.jspecify.annotations.Nullable;

/** A tenant's own API tokens: create (secret shown once), list, get, revoke. */
@RestController
@Tag(name = "Tokens", description = "A tenant's API tokens (scope tokens:manage)")
@RequestMapping(path = "/api/v1/tokens", produces = "application/json")
class TokenController {

    private final TokenService tokenService;
    private final InstanceBindings instanceBindings;

    TokenController(TokenService tokenService, InstanceBindings instanceBindings) {
        this.tokenService = tokenService;
        this.instanceBindings = instanceBindings;
    }

    record CreateTokenRequest(
            @NotBlank @Size(max = 200) String label,
            @Nullable Set<Scope> scopes,
            @Future @Nullable Instant expiresAt,
            @Size(max = 100) @Nullable String instanceName) {}

    record TokenView(
            UUID id,
            String label,
            Set<Scope> scopes,
            @Nullable String instanceName,
            Instant createdAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {}

    /** The only view that carries the secret; returned once, at creation. */
    record IssuedTokenView(UUID id, String label, Set<Scope> scopes, Instant createdAt, @Nullable Instant expiresAt, UUID token) {
        static IssuedTokenView of(IssuedToken issued) {
            ApiToken token = issued.token();
            return new IssuedTokenView(
                    token.getId(),
                    token.getLabel(),
                    token.getScopes(),
                    token.getCreatedAt(),
                    token.getExpiresAt(),
                    issued.secret());
        }
    }

    record IssuedTokenResponse(boolean success, IssuedTokenView token, @Nullable String instanceName) {}

    record TokenResponse(boolean success, TokenView token) {}

    record TokenListResponse(
            boolean success, int count, long total, int page, int limit, boolean hasMore, List<TokenView> tokens) {}

    @Operation(operationId = "createToken", summary = "Create a token", description = "Creates a token with the given label, scopes (default: the caller's), optional expiry and optional instance binding. The secret (`token.token`) is returned only in this response; only its SHA-256 is stored.")
    @ApiResponse(responseCode = "201", description = "Created; the secret is in token.token")
    @ErrorCodes(ErrorCode.INSTANCE_NOT_FOUND)
    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedTokenResponse create(
            @AuthenticationPrincipal TenantPrincipal principal, @Valid @RequestBody CreateTokenRequest request) {
        Set<Scope> scopes = request.scopes() == null || request.scopes().isEmpty()
                ? principal.scopes()
                : EnumSet.copyOf(request.scopes());
        if (!principal.scopes().containsAll(scopes)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A token cannot grant scopes its creator does not have");
        }
        Long instanceId = request.instanceName() == null
                ? principal.boundInstanceId()
                : instanceBindings.instanceIdOf(principal, request.instanceName());
        if (principal.boundInstanceId() != null && !principal.boundInstanceId().equals(instanceId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A token bound to an instance can only create tokens for it");
        }
        IssuedToken issued = tokenService.issue(
                principal.tenantId(), principal.userId(), instanceId, request.label(), scopes, request.expiresAt());
        return new IssuedTokenResponse(true, IssuedTokenView.of(issued), instanceBindings.nameOf(instanceId));
    }

    @Operation(operationId = "listTokens", summary = "List tokens", description = "Lists the tenant's tokens, oldest first, without their secrets.")
    @GetMapping
    TokenListResponse list(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(PageResult.MAX_LIMIT) int limit) {
        PageResult<TokenView> result = tokenService.list(principal.tenantId(), page, limit).map(this::view);
        return new TokenListResponse(
                true, result.count(), result.total(), page, limit, result.hasMore(), result.items());
    }

    @Operation(operationId = "getToken", summary = "Get a token", description = "One token of the tenant, without its secret.")
    @ErrorCodes(ErrorCode.TOKEN_NOT_FOUND)
    @GetMapping("/{tokenId}")
    TokenResponse get(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable UUID tokenId) {
        return new TokenResponse(true, view(tokenService.get(principal.tenantId(), tokenId)));
    }

    @Operation(operationId = "revokeToken", summary = "Revoke a token", description = "Revokes a token; it is rejected with 401 from then on. Revoking twice is harmless.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ErrorCodes(ErrorCode.TOKEN_NOT_FOUND)
    @DeleteMapping("/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable UUID tokenId) {
        tokenService.revoke(principal.tenantId(), tokenId);
    }

    private TokenView view(ApiToken token) {
        return new TokenView(
                token.getId(),
                token.getLabel(),
                token.getScopes(),
                instanceBindings.nameOf(token.getInstanceId()),
                token.getCreatedAt(),
                token.getLastUsedAt(),
                token.getExpiresAt(),
                token.getRevokedAt());
    }
}
