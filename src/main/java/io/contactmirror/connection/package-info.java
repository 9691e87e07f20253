/**
 * Keeps one live WhatsApp session per instance across replicas (leases, reconnects, fencing) behind the engine
 * port, and publishes what the sessions learn; the engines live in {@code cobalt} and {@code sandbox}.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"changelog", "database", "web"})
package io.contactmirror.connection;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
