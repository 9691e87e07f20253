package io.contactmirror.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled create the demo tenant at start; unset means "only on the embedded default database"
 */
@ConfigurationProperties("contactmirror.demo")
public record DemoProperties(Boolean enabled) {}
