package io.contactmirror.tenant;

import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import org.springframework.stereotype.Component;

/** Until instances exist, no token can be bound to one. */
@Component
class NoInstanceBindings implements InstanceBindings {

    @Override
    public Long resolve(TenantPrincipal principal, String instanceName) {
        throw new ApiException(ErrorCode.INSTANCE_NOT_FOUND, "Instance not found");
    }

    @Override
    public String nameOf(Long instanceId) {
        return null;
    }
}
