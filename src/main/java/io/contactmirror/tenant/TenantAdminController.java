package io.contactmirror.tenant;

import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.contactmirror.web.PageResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator's API for onboarding and managing tenants; guarded by the operator token. */
@RestController
@Tag(name = "Operator", description = "Tenant onboarding for the operator; needs the operator token")
@RequestMapping(path = "/admin/v1/tenants", produces = "application/json")
class TenantAdminController {

    private final TenantService tenantService;

    TenantAdminController(TenantService tenantService) {
        this.tenantService = tenantService;
    }

    record CreateTenantRequest(
            @NotBlank
            @Pattern(regexp = "^[a-z0-9][a-z0-9-]{1,62}$", message = "must be 2-63 characters of a-z, 0-9 and '-'")
            String slug,

            @NotBlank @Size(max = 200) String name,
            @NotNull @Valid Owner owner) {

        record Owner(
                @NotBlank @Email @Size(max = 320) String email,
                @Size(max = 200) @Nullable String displayName) {}
    }

    record TenantView(UUID id, String slug, String name, TenantStatus status, Instant createdAt) {
        static TenantView of(Tenant tenant) {
            return new TenantView(
                    tenant.getId(), tenant.getSlug(), tenant.getName(), tenant.getStatus(), tenant.getCreatedAt());
        }
    }

    record UserView(UUID id, String email, @Nullable String displayName, UserRole role, Instant createdAt) {
        static UserView of(TenantUser user) {
            return new UserView(
                    user.getId(), user.getEmail(), user.getDisplayName(), user.getRole(), user.getCreatedAt());
        }
    }

    record TenantResponse(boolean success, TenantView tenant) {}

    record TenantDetailResponse(boolean success, TenantView tenant, List<UserView> users) {}

    record OnboardedResponse(
            boolean success, TenantView tenant, UserView owner, TokenController.IssuedTokenView token) {}

    record IssueOwnerTokenRequest(
            @Size(max = 200) String label, @Future Instant expiresAt) {}

    record OwnerTokenResponse(boolean success, UserView owner, TokenController.IssuedTokenView token) {}

    record TenantListResponse(
            boolean success, int count, long total, int page, int limit, boolean hasMore, List<TenantView> tenants) {}

    @Operation(
            operationId = "createTenant",
            summary = "Onboard a tenant",
            description =
                    "Creates a tenant with its first owner and the owner's first token (secret returned once in token.token).")
    @ApiResponse(responseCode = "201", description = "Created")
    @ErrorCodes(ErrorCode.CONFLICT)
    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    OnboardedResponse create(@Valid @RequestBody CreateTenantRequest request) {
        var onboarded = tenantService.onboard(
                request.slug(),
                request.name(),
                request.owner().email(),
                request.owner().displayName());
        return new OnboardedResponse(
                true,
                TenantView.of(onboarded.tenant()),
                UserView.of(onboarded.owner()),
                TokenController.IssuedTokenView.of(onboarded.token()));
    }

    @Operation(operationId = "listTenants", summary = "List tenants", description = "All tenants, oldest first.")
    @GetMapping
    TenantListResponse list(
            @RequestParam(defaultValue = "1") @Min(1) @Max(PageResult.MAX_PAGE) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(PageResult.MAX_LIMIT) int limit) {
        PageResult<TenantView> result = tenantService.list(page, limit).map(TenantView::of);
        return new TenantListResponse(
                true, result.count(), result.total(), page, limit, result.hasMore(), result.items());
    }

    @Operation(
            operationId = "getTenant",
            summary = "Get a tenant",
            description = "A tenant by id or slug, with its users.")
    @ErrorCodes(ErrorCode.TENANT_NOT_FOUND)
    @GetMapping("/{tenant}")
    TenantDetailResponse get(@PathVariable String tenant) {
        Tenant found = tenantService.get(tenant);
        return new TenantDetailResponse(
                true,
                TenantView.of(found),
                tenantService.users(found.getId()).stream().map(UserView::of).toList());
    }

    @Operation(
            operationId = "disableTenant",
            summary = "Disable a tenant",
            description =
                    "All of the tenant's tokens are rejected (401) until it is enabled again; no data is removed.")
    @ErrorCodes(ErrorCode.TENANT_NOT_FOUND)
    @PostMapping("/{tenant}/disable")
    TenantResponse disable(@PathVariable String tenant) {
        return new TenantResponse(true, TenantView.of(tenantService.changeStatus(tenant, TenantStatus.DISABLED)));
    }

    @Operation(
            operationId = "issueOwnerToken",
            summary = "Issue an owner token",
            description =
                    "A fresh token with every scope for the tenant's first owner: the way back in when a tenant has lost or revoked all its tokens. The secret is returned once in token.token. The body is optional.")
    @ApiResponse(responseCode = "201", description = "Created; the secret is in token.token")
    @PostMapping("/{tenant}/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    OwnerTokenResponse issueOwnerToken(
            @PathVariable String tenant, @Valid @RequestBody(required = false) IssueOwnerTokenRequest request) {
        String label =
                request == null || request.label() == null || request.label().isBlank()
                        ? "owner token issued by the operator"
                        : request.label();
        var issued = tenantService.issueOwnerToken(tenant, label, request == null ? null : request.expiresAt());
        return new OwnerTokenResponse(
                true, UserView.of(issued.owner()), TokenController.IssuedTokenView.of(issued.token()));
    }

    @Operation(
            operationId = "enableTenant",
            summary = "Enable a tenant",
            description = "Lets the tenant's tokens work again.")
    @ErrorCodes(ErrorCode.TENANT_NOT_FOUND)
    @PostMapping("/{tenant}/enable")
    TenantResponse enable(@PathVariable String tenant) {
        return new TenantResponse(true, TenantView.of(tenantService.changeStatus(tenant, TenantStatus.ACTIVE)));
    }
}
