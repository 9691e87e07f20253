/**
 * Instances, one WhatsApp account each: the instances API, pairing, and which instance a request means.
 *
 * <p>Tables: creates and names the {@code instances} rows and writes what the API asks for ({@code desired_state}
 * and the pairing request, {@code pairing_phone}), resetting the last attempt's {@code pairing_code} and
 * {@code reconnect_attempts} with it. The session's columns of the row belong to {@code connection},
 * which also acknowledges a request it carried out (a logout leaves {@code desired_state} STOPPED and clears the
 * pairing request) and deletes the row once a deletion is done. The contact count the API shows comes from
 * {@code contact} through {@link io.contactmirror.instance.ContactCounts}.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"connection", "tenant", "web"})
package io.contactmirror.instance;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
