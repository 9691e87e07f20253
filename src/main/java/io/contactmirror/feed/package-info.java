/** Getting changes out: the catch-up API over the change log and its live Server-Sent Events stream. */
@NullMarked
@ApplicationModule(allowedDependencies = {"changelog", "instance", "tenant", "web"})
package io.contactmirror.feed;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
