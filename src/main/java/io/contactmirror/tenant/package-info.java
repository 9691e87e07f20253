/**
 * Tenants, their users and API tokens: onboarding, the operator and token endpoints, and the token lookups
 * authentication relies on.
 *
 * <p>Tables: writes {@code tenants}, {@code users} and {@code api_tokens}, and no other.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"web"})
package io.contactmirror.tenant;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
