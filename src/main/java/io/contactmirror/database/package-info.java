/**
 * The embedded PostgreSQL that runs when no database is configured, and the log line naming the database in use.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {})
package io.contactmirror.database;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
