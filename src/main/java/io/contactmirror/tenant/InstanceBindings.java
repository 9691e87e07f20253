package io.contactmirror.tenant;

/**
 * How tokens learn about instances without the tenant module depending on the instance module:
 * the instance module provides the implementation.
 */
public interface InstanceBindings {

    /** The id of the caller's instance with this name; fails with INSTANCE_NOT_FOUND when it is not visible. */
    Long instanceIdOf(TenantPrincipal principal, String instanceName);

    /** The instance's name, or null for a null id. */
    String nameOf(Long instanceId);
}
