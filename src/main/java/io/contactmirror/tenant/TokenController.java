package io.contactmirror.tenant;

import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.contactmirror.web.PageResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.jspecify.annotations.Nullable;
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
            @Size(max = 100) @Nullable String instanceName,

            @io.swagger.v3.oas.annotations.media.Schema(
                    description =
                            "api (default): presented in the Authorization header. green_api_path: only as the token segment of the Green API route; bound to one instance (instanceName, or the caller's) and limited to contacts:read.")
            @Nullable
            TokenPurpose purpose) {}

    record TokenView(
            UUID id,
            String label,
            Set<Scope> scopes,
            TokenPurpose purpose,
            @Nullable String instanceName,
            Instant createdAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {}

    /** The only view that carries the secret; returned once, at creation. */
    record IssuedTokenView(
            UUID id,
            String label,
            Set<Scope> scopes,
            TokenPurpose purpose,
            Instant createdAt,
            @Nullable Instant expiresAt,
            UUID token) {
        static IssuedTokenView of(IssuedToken issued) {
            ApiToken token = issued.token();
            return new IssuedTokenView(
                    token.getId(),
                    token.getLabel(),
                    token.getScopes(),
                    token.getPurpose(),
                    token.getCreatedAt(),
                    token.getExpiresAt(),
                    issued.secret());
        }

        /** Without the secret: framework debug logging prints response objects. */
        @Override
        public String toString() {
            return "IssuedTokenView[id=" + id + ", label=" + label + ", scopes=" + scopes + ", purpose=" + purpose
                    + "]";
        }
    }

    record IssuedTokenResponse(
            boolean success,
            IssuedTokenView token,
            @Nullable String instanceName) {}

    record TokenResponse(boolean success, TokenView token) {}

    record TokenListResponse(
            boolean success, int count, long total, int page, int limit, boolean hasMore, List<TokenView> tokens) {}

    @Operation(
            operationId = "createToken",
            summary = "Create a token",
            description =
                    "Creates a token with the given label, scopes (default: the caller's), optional expiry and optional instance binding. The new token expires no later than the calling token and is revoked with it. A token bound to an instance can only create tokens bound to the same instance. purpose green_api_path makes the read-only, instance-bound credential the Green API route takes in its path. The secret (`token.token`) is returned only in this response; only its SHA-256 is stored.")
    @ApiResponse(responseCode = "201", description = "Created; the secret is in token.token")
    @ErrorCodes(ErrorCode.INSTANCE_NOT_FOUND)
    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedTokenResponse create(
            @AuthenticationPrincipal TenantPrincipal principal, @Valid @RequestBody CreateTokenRequest request) {
        TokenPurpose purpose = request.purpose() == null ? TokenPurpose.API : request.purpose();
        Set<Scope> scopes;
        if (purpose == TokenPurpose.GREEN_API_PATH) {
            if (request.scopes() != null
                    && !request.scopes().isEmpty()
                    && !request.scopes().equals(Set.of(Scope.CONTACTS_READ))) {
                throw ApiException.invalid("scopes", "a green_api_path token has exactly contacts:read");
            }
            scopes = EnumSet.of(Scope.CONTACTS_READ);
        } else {
            scopes = request.scopes() == null || request.scopes().isEmpty()
                    ? principal.scopes()
                    : EnumSet.copyOf(request.scopes());
        }
        if (!principal.scopes().containsAll(scopes)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A token cannot grant scopes its creator does not have");
        }
        Long instanceId = request.instanceName() == null
                ? principal.boundInstanceId()
                : instanceBindings.instanceIdOf(principal, request.instanceName());
        if (principal.boundInstanceId() != null && !principal.boundInstanceId().equals(instanceId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A token bound to an instance can only create tokens for it");
        }
        if (purpose == TokenPurpose.GREEN_API_PATH && instanceId == null) {
            throw ApiException.invalid("instanceName", "is required: a green_api_path token is bound to one instance");
        }
        IssuedToken issued =
                tokenService.issueChild(principal, instanceId, request.label(), scopes, request.expiresAt(), purpose);
        return new IssuedTokenResponse(true, IssuedTokenView.of(issued), instanceBindings.nameOf(instanceId));
    }

    @Operation(
            operationId = "listTokens",
            summary = "List tokens",
            description =
                    "Lists the tenant's tokens, oldest first, without their secrets. A token bound to an instance sees only itself.")
    @GetMapping
    TokenListResponse list(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(defaultValue = "1") @Min(1) @Max(PageResult.MAX_PAGE) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(PageResult.MAX_LIMIT) int limit) {
        PageResult<TokenView> result =
                tokenService.visibleTo(principal, page, limit).map(this::view);
        return new TokenListResponse(
                true, result.count(), result.total(), page, limit, result.hasMore(), result.items());
    }

    @Operation(
            operationId = "getToken",
            summary = "Get a token",
            description =
                    "One token of the tenant, without its secret. A token bound to an instance can read only itself (others: 404).")
    @ErrorCodes(ErrorCode.TOKEN_NOT_FOUND)
    @GetMapping("/{tokenId}")
    TokenResponse get(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable UUID tokenId) {
        return new TokenResponse(true, view(tokenService.getVisible(principal, tokenId)));
    }

    @Operation(
            operationId = "revokeToken",
            summary = "Revoke a token",
            description =
                    "Revokes a token and every token created with it (at any depth); they are rejected with 401 from then on. Revoking twice is harmless. A token bound to an instance can revoke only itself (others: 404).")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ErrorCodes(ErrorCode.TOKEN_NOT_FOUND)
    @DeleteMapping("/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable UUID tokenId) {
        tokenService.revoke(principal, tokenId);
    }

    private TokenView view(ApiToken token) {
        return new TokenView(
                token.getId(),
                token.getLabel(),
                token.getScopes(),
                token.getPurpose(),
                instanceBindings.nameOf(token.getInstanceId()),
                token.getCreatedAt(),
                token.getLastUsedAt(),
                token.getExpiresAt(),
                token.getRevokedAt());
    }
}
