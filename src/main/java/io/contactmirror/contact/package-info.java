/**
 * The contact mirror: applies what sessions report, and serves contacts, search, resolve and CRM fields.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"changelog", "connection", "instance", "tenant", "web"})
package io.contactmirror.contact;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
