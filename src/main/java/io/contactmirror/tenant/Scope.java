package io.contactmirror.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** What an API token may do; written as {@code area:action} in requests, responses and storage. */
@io.swagger.v3.oas.annotations.media.Schema(name = "Scope", enumAsRef = true)
public enum Scope {
    CONTACTS_READ("contacts:read"),
    CONTACTS_WRITE("contacts:write"),
    INSTANCES_READ("instances:read"),
    INSTANCES_WRITE("instances:write"),
    TOKENS_MANAGE("tokens:manage");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The Spring Security authority name that guards endpoints needing this scope. */
    public String authority() {
        return "SCOPE_" + value;
    }

    @JsonCreator
    public static Scope of(String value) {
        return Arrays.stream(values())
                .filter(scope -> scope.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope '" + value + "'"));
    }

    public static Set<Scope> all() {
        return EnumSet.allOf(Scope.class);
    }
}
