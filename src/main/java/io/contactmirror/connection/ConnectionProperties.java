package io.contactmirror.connection;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

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
@Validated
@ConfigurationProperties("contactmirror.connection")
record ConnectionProperties(
        @Nullable String replicaId,
        @DefaultValue("PT2S") @DurationMin(millis = 1) Duration heartbeatInterval,
        @DefaultValue("PT15S") @DurationMin(millis = 1) Duration leaseTtl,
        @DefaultValue("PT1S") @DurationMin(millis = 1) Duration reconnectInitialBackoff,
        @DefaultValue("PT60S") @DurationMin(millis = 1) Duration reconnectMaxBackoff,
        @DefaultValue("10") @Positive int maxReconnectAttempts,
        @DefaultValue("PT10S") @DurationMin(millis = 1) Duration liveQueryTimeout) {}
