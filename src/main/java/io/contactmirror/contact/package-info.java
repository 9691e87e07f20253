/**
 * The contact mirror: applies what sessions report, and serves contacts, search, resolve and CRM fields.
 *
 * <p>Tables: writes {@code contacts}, {@code chats}, {@code identity_mappings}, {@code group_participants},
 * {@code contact_aliases} and {@code contact_counts} (the list's counters, kept off the {@code instances} row), and
 * no other; an instance's change log is written and forgotten through {@code changelog}'s API.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"changelog", "connection", "instance", "tenant", "web"})
package io.contactmirror.contact;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
