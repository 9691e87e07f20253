package io.contactmirror.web;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * A failure the client can act on; rendered as the error envelope with the code's status and the headers it carries
 * (e.g. {@code Retry-After}), as Spring's {@code ErrorResponseException} carries status, headers and body.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final @Nullable List<ErrorEnvelope.FieldError> details;
    private final HttpHeaders headers;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ApiException(ErrorCode code, String message, @Nullable List<ErrorEnvelope.FieldError> details) {
        this(code, message, details, HttpHeaders.EMPTY);
    }

    public ApiException(
            ErrorCode code, String message, @Nullable List<ErrorEnvelope.FieldError> details, HttpHeaders headers) {
        super(message);
        this.code = code;
        this.details = details;
        this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(
                ErrorCode.VALIDATION_ERROR, "validation failed", List.of(new ErrorEnvelope.FieldError(field, message)));
    }

    /** 503 that tells the client, in the {@code Retry-After} header, how long to wait before asking again. */
    public static ApiException retryLater(String message, Duration retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, message, null, headers);
    }

    public ErrorCode code() {
        return code;
    }

    public @Nullable List<ErrorEnvelope.FieldError> details() {
        return details;
    }

    /** Headers sent with the error response; empty for most failures. */
    public HttpHeaders headers() {
        return headers;
    }
}
