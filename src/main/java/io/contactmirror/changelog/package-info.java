/**
 * The ordered change log of every instance: written in the transaction of the change it records, read by the
 * catch-up API, the live stream and webhook delivery; retention and commit notifications.
 *
 * <p>Tables: writes {@code changes} and {@code change_sequences}, and no other.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {})
package io.contactmirror.changelog;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
