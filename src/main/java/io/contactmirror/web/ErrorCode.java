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
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    REQUEST_TIMEOUT(HttpStatus.REQUEST_TIMEOUT),
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

    /** The code a bare status (from the container, or a framework exception) is answered with. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 408 -> REQUEST_TIMEOUT;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> TOO_MANY_REQUESTS;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL_ERROR;
        };
    }

    /** A fixed, client-safe text for a code that has no more specific message. */
    public String defaultMessage() {
        return switch (this) {
            case MALFORMED_REQUEST -> "Bad request: the request line, a header, the URL or the body cannot be read";
            case PAYLOAD_TOO_LARGE -> "Request body too large for this route";
            case REQUEST_TIMEOUT -> "The request was not received in time";
            case INTERNAL_ERROR -> "Internal server error";
            default -> status.getReasonPhrase();
        };
    }
}
