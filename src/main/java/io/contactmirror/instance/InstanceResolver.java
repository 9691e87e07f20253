package io.contactmirror.instance;

import io.contactmirror.tenant.InstanceBindings;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorEnvelope;
import io.contactmirror.web.RequestIdFilter;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The one place that decides which instance a request means. A name may be the plain instance name or the
 * globally unique API name; a token bound to an instance sees only that one, and every instance it cannot see
 * is simply "not found" (never a hint that it exists).
 */
@Component
public class InstanceResolver implements InstanceBindings {

    private final InstanceRepository instances;

    InstanceResolver(InstanceRepository instances) {
        this.instances = instances;
    }

    /** The named instance, or, without a name, the token's bound instance or the tenant's only instance. */
    public Instance resolve(TenantPrincipal principal, String instanceName) {
        Instance instance = instanceName == null || instanceName.isBlank()
                ? implicit(principal)
                : instances
                        .findVisible(principal.tenantId(), instanceName.trim())
                        .orElseThrow(InstanceResolver::notFound);
        if (principal.boundInstanceId() != null && principal.boundInstanceId() != instance.id()) {
            throw notFound();
        }
        MDC.put(RequestIdFilter.INSTANCE_MDC_KEY, instance.apiInstanceName());
        return instance;
    }

    /** The instance with this id if the caller may see it. */
    public java.util.Optional<Instance> visible(TenantPrincipal principal, long instanceId) {
        return instances
                .findById(instanceId)
                .filter(instance -> instance.tenantId().equals(principal.tenantId()))
                .filter(instance -> instance.desiredState() != io.contactmirror.connection.DesiredState.DELETED)
                .filter(instance -> principal.boundInstanceId() == null || principal.boundInstanceId() == instanceId);
    }

    private Instance implicit(TenantPrincipal principal) {
        if (principal.boundInstanceId() != null) {
            return instances
                    .findById(principal.boundInstanceId())
                    .filter(instance -> instance.tenantId().equals(principal.tenantId()))
                    .orElseThrow(InstanceResolver::notFound);
        }
        List<Instance> candidates = instances.findVisible(principal.tenantId(), 2);
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        throw new ApiException(
                ErrorCode.INSTANCE_REQUIRED,
                candidates.isEmpty()
                        ? "This tenant has no instance yet"
                        : "instanceName is required: the tenant has several instances",
                List.of(new ErrorEnvelope.FieldError("instanceName", "is required")));
    }

    @Override
    public Long instanceIdOf(TenantPrincipal principal, String instanceName) {
        return resolve(principal, instanceName).id();
    }

    @Override
    public String nameOf(Long instanceId) {
        return instanceId == null
                ? null
                : instances.findById(instanceId).map(Instance::instanceName).orElse(null);
    }

    static ApiException notFound() {
        return new ApiException(ErrorCode.INSTANCE_NOT_FOUND, "Instance not found");
    }
}
