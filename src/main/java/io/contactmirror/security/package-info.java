/**
 * Bearer-token authentication, the request's principal, rate limits and the security filter chains.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"tenant", "web"})
package io.contactmirror.security;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
