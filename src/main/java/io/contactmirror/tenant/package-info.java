/**
 * Tenants, their users and API tokens: onboarding, the operator and token endpoints, and the token lookups
 * authentication relies on.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"web"})
package io.contactmirror.tenant;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
