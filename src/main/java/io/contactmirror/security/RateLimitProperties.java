package io.contactmirror.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-token request budget of one replica: a token bucket refilled at {@code requestsPerSecond}, holding at most
 * {@code burst} requests. {@code requestsPerSecond = 0} turns limiting off.
 */
@ConfigurationProperties("contactmirror.rate-limit")
public record RateLimitProperties(@DefaultValue("50") double requestsPerSecond, @DefaultValue("100") int burst) {}
