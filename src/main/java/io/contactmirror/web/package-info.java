/**
 * Shared kernel of the HTTP API: the error envelope and exception handling, request ids and limits, paging types
 * and the OpenAPI contract.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {})
package io.contactmirror.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
