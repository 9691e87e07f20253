package io.contactmirror.tenant;

public enum TenantStatus {
    ACTIVE,
    DISABLED
}
