package io.contactmirror.demo;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the demo tenant.
 *
 * @param enabled create the demo tenant at start; unset means "only on the embedded default database"
 * @param newToken issue and print a new owner token for the existing demo tenant at this start (for a lost token)
 */
@ConfigurationProperties("contactmirror.demo")
public record DemoProperties(
        @Nullable Boolean enabled, @DefaultValue("false") boolean newToken) {}
