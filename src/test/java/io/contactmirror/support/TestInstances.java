package io.contactmirror.support;

import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceService;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import org.springframework.stereotype.Component;

/** Creates instances for tests through the service the API uses. */
@Component
public class TestInstances {

    private final InstanceService instanceService;

    public TestInstances(InstanceService instanceService) {
        this.instanceService = instanceService;
    }

    public Instance create(TestTenants.TestTenant tenant, String name, EngineType engine) {
        var principal = new TenantPrincipal(null, tenant.tenantId(), tenant.userId(), null, Scope.all());
        return instanceService.create(principal, name, null, engine, null);
    }
}
