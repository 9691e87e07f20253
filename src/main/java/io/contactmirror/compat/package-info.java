/**
 * The seed APIs' contact routes (GOWA, whatsmeow, WUTS, Green API) as thin adapters over {@code contact}.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"contact", "instance", "tenant", "web"})
package io.contactmirror.compat;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
