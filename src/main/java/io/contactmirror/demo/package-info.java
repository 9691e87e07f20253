/**
 * Creates the demo tenant (and prints its owner token) on the embedded default database.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"connection", "database", "instance", "tenant"})
package io.contactmirror.demo;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
