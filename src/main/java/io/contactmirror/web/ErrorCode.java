package io.contactmirror.web;

import org.springframework.http.HttpStatus;

/** Machine-readable error codes of the API, each with the HTTP status it is answered with. */
public enum ErrorCode {
    VALIDATION_ERROR(HttpStatus.BAD_REQUEST),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED),
    FORBIDDEN(HttpStatus.FORBIDDEN),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    TENANT_NOT_FOUND(HttpStatus.NOT_FOUND),
    TOKEN_NOT_FOUND(HttpStatus.NOT_FOUND),
    INSTANCE_NOT_FOUND(HttpStatus.NOT_FOUND),
    CONTACT_NOT_FOUND(HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
    CONFLICT(HttpStatus.CONFLICT),
    NOT_CONNECTED(HttpStatus.CONFLICT),
    QR_NOT_AVAILABLE(HttpStatus.CONFLICT),
    ALREADY_PAIRED(HttpStatus.CONFLICT),
    INSTANCE_REQUIRED(HttpStatus.BAD_REQUEST),
    PRECONDITION_FAILED(HttpStatus.PRECONDITION_FAILED),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
    ENGINE_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT);

    private final HttpStatus status;

    ErrorCode(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
