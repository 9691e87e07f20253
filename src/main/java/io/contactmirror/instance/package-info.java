/**
 * Instances, one WhatsApp account each: the instances API, pairing, and which instance a request means.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"connection", "tenant", "web"})
package io.contactmirror.instance;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
