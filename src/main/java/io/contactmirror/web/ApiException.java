package io.contactmirror.web;

import java.util.List;

/** A failure the client can act on; rendered as the error envelope with the code's status. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final List<ErrorResponse.FieldError> details;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ApiException(ErrorCode code, String message, List<ErrorResponse.FieldError> details) {
        super(message);
        this.code = code;
        this.details = details;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(
                ErrorCode.VALIDATION_ERROR, "validation failed", List.of(new ErrorResponse.FieldError(field, message)));
    }

    public ErrorCode code() {
        return code;
    }

    public List<ErrorResponse.FieldError> details() {
        return details;
    }
}
