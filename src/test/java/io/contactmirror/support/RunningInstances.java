package io.contactmirror.support;

import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.InstanceService;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.tenant.TenantService;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationContext;

/**
 * A new tenant with {@code count} sandbox instances ({@code shop_0}, {@code shop_1}, …) asked to run, created
 * through a replica's services as the API would.
 *
 * @param token the tenant owner's API token
 * @param ids the instances' ids, in name order
 */
public record RunningInstances(String token, List<Long> ids) {

    public static RunningInstances start(ApplicationContext replica, String slug, int count) {
        var onboarded = replica.getBean(TenantService.class).onboard(slug, slug, slug + "@example.com", null);
        var principal = new TenantPrincipal(
                null, onboarded.tenant().getId(), onboarded.owner().getId(), null, Scope.all());
        InstanceService instances = replica.getBean(InstanceService.class);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(instances
                    .create(principal, "shop_" + i, null, EngineType.SANDBOX, null)
                    .id());
            instances.connect(principal, "shop_" + i);
        }
        return new RunningInstances(onboarded.token().secret().toString(), List.copyOf(ids));
    }
}
