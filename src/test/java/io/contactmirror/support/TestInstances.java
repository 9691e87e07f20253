package io.contactmirror.support;

import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.Fence;
import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceService;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Creates instances for tests through the service the API uses. */
@Component
public class TestInstances {

    private static final String TEST_OWNER = "test-writer";

    private final InstanceService instanceService;
    private final JdbcClient jdbc;

    public TestInstances(InstanceService instanceService, JdbcClient jdbc) {
        this.instanceService = instanceService;
        this.jdbc = jdbc;
    }

    public Instance create(TestTenants.TestTenant tenant, String name, EngineType engine) {
        var principal = new TenantPrincipal(null, tenant.tenantId(), tenant.userId(), null, Scope.all());
        return instanceService.create(principal, name, null, engine, null);
    }

    /**
     * A lease on the instance held by the test itself for an hour, for tests that publish session events directly:
     * any session a replica runs for the instance loses its lease, and the test's events pass the mirror's fence.
     */
    public Fence lease(long instanceId) {
        long epoch = jdbc.sql("""
                        INSERT INTO instance_leases (instance_id, owner_id, epoch, acquired_at, expires_at)
                        VALUES (:instance, :owner, 1, now(), now() + interval '1 hour')
                        ON CONFLICT (instance_id) DO UPDATE SET owner_id = :owner, expires_at = now() + interval '1 hour',
                            epoch = CASE WHEN instance_leases.owner_id = :owner THEN instance_leases.epoch
                                         ELSE instance_leases.epoch + 1 END
                        RETURNING epoch""")
                .param("instance", instanceId)
                .param("owner", TEST_OWNER)
                .query(Long.class)
                .single();
        return new Fence(TEST_OWNER, epoch);
    }
}
