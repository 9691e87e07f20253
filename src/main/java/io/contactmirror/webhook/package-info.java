/**
 * Webhooks: tenants' subscriptions, fan-out of the change log into an outbox, and signed at-least-once delivery
 * claimed by any replica.
 *
 * <p>Tables: writes {@code webhook_subscriptions}, {@code webhook_cursors} and {@code webhook_deliveries}, and no
 * other.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"changelog", "connection", "instance", "tenant", "web"})
package io.contactmirror.webhook;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
