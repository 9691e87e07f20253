package io.contactmirror.connection;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the socket manager keeps one live session per instance across replicas.
 *
 * @param replicaId this replica's name in the lease table; defaults to host name plus a random suffix
 * @param heartbeatInterval how often leases are renewed and the instance table is scanned for work
 * @param leaseTtl how long a lease outlives its last renewal; a dead replica's instances move after at most
 *     {@code leaseTtl + heartbeatInterval}
 * @param reconnectInitialBackoff first wait before reconnecting a dropped session (doubled per attempt, jittered)
 * @param reconnectMaxBackoff upper bound of that wait
 * @param maxReconnectAttempts consecutive failed attempts before the instance is marked FAILED
 * @param liveQueryTimeout bound on every live call to a session (profile pictures, number checks)
 */
@ConfigurationProperties("contactmirror.connection")
public record ConnectionProperties(
        String replicaId,
        @DefaultValue("PT2S") Duration heartbeatInterval,
        @DefaultValue("PT15S") Duration leaseTtl,
        @DefaultValue("PT1S") Duration reconnectInitialBackoff,
        @DefaultValue("PT60S") Duration reconnectMaxBackoff,
        @DefaultValue("10") int maxReconnectAttempts,
        @DefaultValue("PT10S") Duration liveQueryTimeout) {}
