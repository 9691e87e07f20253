package io.contactmirror.security;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request budgets of one replica.
 *
 * @param requestsPerSecond per token: a token bucket refilled at this rate; 0 turns per-token limiting off
 * @param burst per token: the most requests the bucket holds
 * @param failedAuthPerMinute per source address: failed authentications refilled per minute; 0 turns it off
 * @param failedAuthBurst per source address: failed authentications allowed in a row before 429
 */
@Validated
@ConfigurationProperties("contactmirror.rate-limit")
public record RateLimitProperties(
        @DefaultValue("50") @PositiveOrZero double requestsPerSecond,
        @DefaultValue("100") @Positive int burst,
        @DefaultValue("30") @PositiveOrZero int failedAuthPerMinute,
        @DefaultValue("20") @Positive int failedAuthBurst) {}
