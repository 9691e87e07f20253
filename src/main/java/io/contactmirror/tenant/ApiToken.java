package io.contactmirror.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A tenant's API credential; only the SHA-256 of its secret is kept. */
@Entity
@Table(name = "api_tokens")
public class ApiToken {

    @Id
    private UUID id;

    private UUID tenantId;

    private UUID userId;

    private Long instanceId;

    private String label;

    @Column(columnDefinition = "text[]")
    private String[] scopes;

    private byte[] tokenHash;

    private Instant createdAt;

    private Instant lastUsedAt;

    private Instant expiresAt;

    private Instant revokedAt;

    private UUID parentTokenId;

    @Enumerated(EnumType.STRING)
    private TokenPurpose purpose = TokenPurpose.API;

    protected ApiToken() {}

    ApiToken(
            UUID tenantId,
            UUID userId,
            Long instanceId,
            String label,
            Set<Scope> scopes,
            byte[] tokenHash,
            Instant expiresAt,
            UUID parentTokenId,
            TokenPurpose purpose) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.userId = userId;
        this.instanceId = instanceId;
        this.label = label;
        this.scopes = scopes.stream().sorted().map(Scope::value).toArray(String[]::new);
        this.tokenHash = tokenHash;
        this.createdAt = Instant.now();
        this.expiresAt = expiresAt;
        this.parentTokenId = parentTokenId;
        this.purpose = purpose;
    }

    public UUID getId() {
        return id;
    }

    public UUID getTenantId() {
        return tenantId;
    }

    public UUID getUserId() {
        return userId;
    }

    public Long getInstanceId() {
        return instanceId;
    }

    public String getLabel() {
        return label;
    }

    public Set<Scope> getScopes() {
        return Arrays.stream(scopes).map(Scope::of).collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public UUID getParentTokenId() {
        return parentTokenId;
    }

    public TokenPurpose getPurpose() {
        return purpose;
    }

    void hashSecret(byte[] hash) {
        this.tokenHash = hash;
    }
}
