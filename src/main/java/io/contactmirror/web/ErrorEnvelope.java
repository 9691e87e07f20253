package io.contactmirror.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one error envelope every endpoint answers with, shaped like the WUTS seed API. Named {@code ErrorResponse} in
 * the contract (clients generated from it know it by that name); in Java it is not Spring's {@code ErrorResponse}.
 */
@Schema(name = "ErrorResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorEnvelope(
        boolean success,
        String error,
        @JsonProperty("error_code") String errorCode,
        Instant timestamp,
        @JsonProperty("request_id") String requestId,
        @Nullable List<FieldError> details) {

    public record FieldError(String field, String message) {}

    public static ErrorEnvelope of(
            ErrorCode code, String message, String requestId, @Nullable List<FieldError> details) {
        return new ErrorEnvelope(false, message, code.name(), Instant.now(), requestId, details);
    }
}
