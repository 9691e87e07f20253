package io.contactmirror.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The one error envelope every endpoint answers with, shaped like the WUTS seed API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(
        boolean success,
        String error,
        @JsonProperty("error_code") String errorCode,
        Instant timestamp,
        @JsonProperty("request_id") String requestId,
        @Nullable List<FieldError> details) {

    public record FieldError(String field, String message) {}

    public static ErrorResponse of(ErrorCode code, String message, String requestId, @Nullable List<FieldError> details) {
        return new ErrorResponse(false, message, code.name(), Instant.now(), requestId, details);
    }
}
