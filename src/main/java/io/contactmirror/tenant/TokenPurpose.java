package io.contactmirror.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Where a token may be presented. {@code api}: in the Authorization header. {@code green_api_path}: only as the last
 * path segment of the Green API route; such a token is bound to one instance and can only read its contacts, so a
 * URL that leaks through a proxy log exposes nothing else.
 */
@io.swagger.v3.oas.annotations.media.Schema(name = "TokenPurpose", enumAsRef = true)
public enum TokenPurpose {
    API("api"),
    GREEN_API_PATH("green_api_path");

    private final String value;

    TokenPurpose(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static TokenPurpose of(String value) {
        return Arrays.stream(values())
                .filter(purpose -> purpose.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown purpose '" + value + "'"));
    }
}
