package io.contactmirror.tenant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A person of a tenant; tokens act on behalf of one. */
@Entity
@Table(name = "users")
public class TenantUser {

    @Id
    private UUID id;

    private UUID tenantId;

    private String email;

    private String displayName;

    @Enumerated(EnumType.STRING)
    private UserRole role;

    private Instant createdAt;

    protected TenantUser() {}

    TenantUser(UUID tenantId, String email, String displayName, UserRole role) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.email = email;
        this.displayName = displayName;
        this.role = role;
        this.createdAt = Instant.now();
    }

    public UUID getId() {
        return id;
    }

    public UUID getTenantId() {
        return tenantId;
    }

    public String getEmail() {
        return email;
    }

    public String getDisplayName() {
        return displayName;
    }

    public UserRole getRole() {
        return role;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
