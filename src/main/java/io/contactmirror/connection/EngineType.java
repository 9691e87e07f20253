package io.contactmirror.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Which engine serves an instance: the real WhatsApp network or the deterministic sandbox. */
@io.swagger.v3.oas.annotations.media.Schema(name = "EngineType", enumAsRef = true)
public enum EngineType {
    WHATSAPP("whatsapp"),
    SANDBOX("sandbox");

    private final String value;

    EngineType(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static EngineType of(String value) {
        return Arrays.stream(values())
                .filter(type -> type.value.equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("engine must be 'whatsapp' or 'sandbox'"));
    }
}
