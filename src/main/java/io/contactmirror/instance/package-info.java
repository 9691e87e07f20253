/**
 * Instances, one WhatsApp account each: the instances API, pairing, and which instance a request means.
 *
 * <p>Tables: creates and names the {@code instances} rows (tenant, names, engine); their state columns belong to
 * {@code connection}, which records what the API asks for through {@code SocketManager.request} and deletes a row
 * once its deletion is done. The contact count the API shows comes from {@code contact} through
 * {@link io.contactmirror.instance.ContactCounts}.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"connection", "tenant", "web"})
package io.contactmirror.instance;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
