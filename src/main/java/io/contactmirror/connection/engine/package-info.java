/**
 * The engine port: what a WhatsApp implementation ({@code cobalt}, {@code sandbox}) provides to the socket manager
 * and reports back. Internal to {@code connection}; other modules see sessions only as {@code LiveSession}.
 */
@NullMarked
package io.contactmirror.connection.engine;

import org.jspecify.annotations.NullMarked;
