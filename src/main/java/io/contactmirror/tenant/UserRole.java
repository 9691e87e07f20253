package io.contactmirror.tenant;

public enum UserRole {
    OWNER,
    ADMIN,
    MEMBER
}
