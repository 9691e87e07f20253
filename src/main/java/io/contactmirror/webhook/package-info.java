/**
 * Webhooks: tenants' subscriptions, fan-out of the change log into an outbox, and signed at-least-once delivery
 * claimed by any replica.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"changelog", "connection", "instance", "tenant", "web"})
package io.contactmirror.webhook;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
