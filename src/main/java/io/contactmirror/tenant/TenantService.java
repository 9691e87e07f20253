package io.contactmirror.tenant;

import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.PageResult;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tenant life cycle for the operator: onboarding with a first owner and token, listing, disabling. */
@Service
public class TenantService {

    private final TenantRepository tenants;
    private final TenantUserRepository users;
    private final TokenService tokenService;

    TenantService(TenantRepository tenants, TenantUserRepository users, TokenService tokenService) {
        this.tenants = tenants;
        this.users = users;
        this.tokenService = tokenService;
    }

    /** The result of onboarding: the tenant, its first owner and the owner's first token (secret included). */
    public record Onboarded(Tenant tenant, TenantUser owner, IssuedToken token) {}

    @Transactional
    public Onboarded onboard(String slug, String name, String ownerEmail, String ownerDisplayName) {
        if (tenants.existsBySlug(slug)) {
            throw new ApiException(ErrorCode.CONFLICT, "A tenant with slug '" + slug + "' already exists");
        }
        Tenant tenant = tenants.save(new Tenant(slug, name));
        TenantUser owner = users.save(new TenantUser(tenant.getId(), ownerEmail, ownerDisplayName, UserRole.OWNER));
        IssuedToken token =
                tokenService.issue(tenant.getId(), owner.getId(), null, "initial owner token", Scope.all(), null);
        return new Onboarded(tenant, owner, token);
    }

    @Transactional(readOnly = true)
    public PageResult<Tenant> list(int page, int limit) {
        var result = tenants.findAll(PageRequest.of(page - 1, limit, Sort.by("createdAt", "id")));
        return new PageResult<>(result.getContent(), result.getTotalElements(), page, limit);
    }

    /** Finds a tenant by its id or its slug. */
    @Transactional(readOnly = true)
    public Tenant get(String idOrSlug) {
        return parseUuid(idOrSlug)
                .flatMap(tenants::findById)
                .or(() -> tenants.findBySlug(idOrSlug))
                .orElseThrow(() -> new ApiException(ErrorCode.TENANT_NOT_FOUND, "Tenant not found"));
    }

    @Transactional(readOnly = true)
    public Optional<Tenant> findBySlug(String slug) {
        return tenants.findBySlug(slug);
    }

    @Transactional(readOnly = true)
    public List<TenantUser> users(UUID tenantId) {
        return users.findByTenantIdOrderByCreatedAt(tenantId);
    }

    /** A token with every scope for the tenant's first owner, issued by the operator. */
    public record OwnerToken(TenantUser owner, IssuedToken token) {}

    @Transactional
    public OwnerToken issueOwnerToken(String idOrSlug, String label, java.time.Instant expiresAt) {
        Tenant tenant = get(idOrSlug);
        TenantUser owner = users.findByTenantIdOrderByCreatedAt(tenant.getId()).stream()
                .filter(user -> user.getRole() == UserRole.OWNER)
                .findFirst()
                .orElseThrow(
                        () -> new ApiException(ErrorCode.CONFLICT, "The tenant has no owner to issue a token for"));
        return new OwnerToken(
                owner, tokenService.issue(tenant.getId(), owner.getId(), null, label, Scope.all(), expiresAt));
    }

    @Transactional
    public Tenant changeStatus(String idOrSlug, TenantStatus status) {
        Tenant tenant = get(idOrSlug);
        tenant.changeStatus(status);
        tokenService.evictTenant(tenant.getId());
        return tenants.save(tenant);
    }

    private static Optional<UUID> parseUuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }
}
