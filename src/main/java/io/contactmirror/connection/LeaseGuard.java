package io.contactmirror.connection;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Fencing for writes made on behalf of a session outside this module (the contact mirror). Lease rows are never
 * deleted and every takeover raises the epoch, so a fence that matches the row proves no other replica has taken
 * the instance over.
 */
@Component
public class LeaseGuard {

    private final JdbcClient jdbc;

    LeaseGuard(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Refuses the caller's write unless {@code fence} still names the instance's lease. Call it inside the
     * transaction that writes. It takes no row lock on purpose: lease renewal must never wait behind a mirror batch.
     */
    public void requireHeld(long instanceId, Fence fence) {
        boolean held = jdbc.sql("""
                        SELECT 1 FROM instance_leases
                        WHERE instance_id = :instance AND owner_id = :owner AND epoch = :epoch""")
                .param("instance", instanceId)
                .param("owner", fence.owner())
                .param("epoch", fence.epoch())
                .query(Integer.class)
                .optional()
                .isPresent();
        if (!held) {
            throw new LeaseLostException(instanceId, fence);
        }
    }
}
