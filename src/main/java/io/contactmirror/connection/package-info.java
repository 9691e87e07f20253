/**
 * Keeps one live WhatsApp session per instance across replicas (leases, reconnects, fencing) behind the engine
 * port, and publishes what the sessions learn. The port is the internal {@code engine} package; the engines live in
 * {@code cobalt} and {@code sandbox}. Other modules use only the base package: the events and records sessions
 * report, instance states, {@code LiveSession} queries, {@code LeaseGuard} and {@code Jid}.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"changelog", "database", "web"})
package io.contactmirror.connection;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
