package io.contactmirror.webhook;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook delivery: who may be a target, how fast the outbox is worked, and how long a failing target is retried.
 *
 * @param allowHttp accept {@code http://} targets (otherwise https only); for local development and tests
 * @param allowPrivateTargets accept targets that are or resolve to loopback, link-local, private (RFC 1918, ULA,
 *     CGNAT), multicast, unspecified or cloud-metadata addresses; for local development and tests
 * @param workerEnabled whether this replica fans changes out and delivers them (every replica does by default)
 * @param pollInterval how often a replica looks for new changes and due deliveries when it found none last time
 * @param batchSize deliveries claimed (and changes copied per subscription) per round
 * @param maxConcurrency deliveries one replica sends at the same time
 * @param connectTimeout TCP and TLS connect timeout of a delivery
 * @param readTimeout how long a delivery waits for the receiver's response
 * @param claimTimeout how long a claimed delivery stays with its replica; if the replica dies, another claims it after
 *     this (must exceed connect plus read timeout)
 * @param initialBackoff delay before the first retry; doubles per attempt, with jitter
 * @param maxBackoff longest delay between two attempts
 * @param jitter fraction of each delay added or removed at random (0.2 = ±20 %)
 * @param retryFor how long a failing delivery is retried (from its first attempt); then the subscription is disabled
 * @param deliveredRetention how long delivered deliveries stay in the delivery log
 * @param responseExcerptLength characters of a failed response's body kept in the delivery log
 */
@Validated
@ConfigurationProperties("contactmirror.webhooks")
record WebhookProperties(
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue("true") boolean workerEnabled,
        @DefaultValue("PT0.2S") Duration pollInterval,
        @DefaultValue("256") @Min(1) @Max(1000) int batchSize,
        @DefaultValue("256") @Min(1) @Max(1000) int maxConcurrency,
        @DefaultValue("PT5S") Duration connectTimeout,
        @DefaultValue("PT10S") Duration readTimeout,
        @DefaultValue("PT1M") Duration claimTimeout,
        @DefaultValue("PT5S") Duration initialBackoff,
        @DefaultValue("PT1H") Duration maxBackoff,

        @DefaultValue("0.2") @DecimalMin("0") @DecimalMax("1")
        double jitter,

        @DefaultValue("PT24H") Duration retryFor,
        @DefaultValue("P7D") Duration deliveredRetention,
        @DefaultValue("500") @Min(0) @Max(10_000) int responseExcerptLength) {

    WebhookProperties {
        if (claimTimeout.compareTo(connectTimeout.plus(readTimeout)) <= 0) {
            throw new IllegalArgumentException(
                    "contactmirror.webhooks.claim-timeout must exceed connect-timeout plus read-timeout");
        }
    }
}
