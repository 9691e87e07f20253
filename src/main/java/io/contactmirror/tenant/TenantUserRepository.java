package io.contactmirror.tenant;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TenantUserRepository extends JpaRepository<TenantUser, UUID> {

    List<TenantUser> findByTenantIdOrderByCreatedAt(UUID tenantId);
}
