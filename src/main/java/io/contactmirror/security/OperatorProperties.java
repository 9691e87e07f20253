package io.contactmirror.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token the operator token guarding {@code /admin/v1}; env {@code CONTACTMIRROR_ADMIN_TOKEN}. Unset: no
 *     operator API at all.
 */
@ConfigurationProperties("contactmirror.admin")
public record OperatorProperties(@Nullable String token) {}
