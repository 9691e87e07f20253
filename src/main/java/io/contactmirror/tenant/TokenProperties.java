package io.contactmirror.tenant;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How API token lookups are cached and token use is recorded.
 *
 * @param cacheTtl how long a replica caches a token lookup; revocation and tenant disabling take effect at once on
 *     the replica that handled them, on others within this time; {@code 0} turns the cache off
 * @param usageFlushInterval how often recorded token use is written to {@code api_tokens.last_used_at}
 */
@Validated
@ConfigurationProperties("contactmirror.tokens")
record TokenProperties(
        @DefaultValue("PT5S") @DurationMin(nanos = 0) Duration cacheTtl,
        @DefaultValue("PT10S") @DurationMin(millis = 1) Duration usageFlushInterval) {}
