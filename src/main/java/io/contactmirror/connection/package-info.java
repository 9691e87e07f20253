/**
 * Keeps one live WhatsApp session per instance across replicas (leases, reconnects, fencing) behind the engine
 * port, and publishes what the sessions learn. The port is the internal {@code engine} package; the engines live in
 * {@code cobalt} and {@code sandbox}. Other modules use only the base package: the events and records sessions
 * report, instance states, {@code LiveSession} queries, {@code LeaseGuard} and {@code Jid}.
 *
 * <p>Tables: writes {@code replicas}, {@code instance_leases}, {@code whatsapp_sessions}, {@code sandbox_devices} and
 * {@code sandbox_events}, and every state column of {@code instances}: what the API asks for ({@code desired_state},
 * the pairing request; through {@link io.contactmirror.connection.SocketManager#request}) and what the session did
 * (status, QR and pairing code, account, connects and disconnects, reconnect attempts, sync state); it deletes a row
 * whose deletion is done. {@code instance} creates and names the rows.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"changelog", "database", "web"})
package io.contactmirror.connection;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
