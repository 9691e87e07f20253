package io.contactmirror.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A different error body for some routes: the compatibility routes answer errors in the shape of the API they
 * imitate. Everything else gets {@link ErrorEnvelope}.
 */
public interface ErrorStyle {

    boolean appliesTo(HttpServletRequest request);

    Object body(ErrorCode code, String message, String requestId);
}
