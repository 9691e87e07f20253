package io.contactmirror.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Makes the JSpecify nullness of a record's components its schema: a {@link Nullable} component is typed
 * {@code [X, "null"]} (or {@code oneOf [X, null]} for a referenced schema), every other component is {@code required}.
 * A nullable component of a record that omits nulls ({@code @JsonInclude(NON_NULL)}) is optional instead.
 * Request bodies relax "present but null" to "optional" later ({@link OpenApiConfiguration#requestSchemasAllowAbsentNulls}).
 * An enum whose JSON values are not its constant names (e.g. {@code contacts:read}) carries the constant names as
 * {@code x-enum-varnames}, so generators name the members {@code CONTACTS_READ}, not {@code CONTACTS_COLON_READ}.
 */
class ContractModelConverter implements ModelConverter {

    @Override
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        if (!chain.hasNext()) {
            return null;
        }
        Schema resolved = chain.next().resolve(type, context, chain);
        Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
        if (resolved == null || !(raw.isRecord() || raw.isEnum())) {
            return resolved;
        }
        Schema model = resolved.get$ref() != null
                ? context.getDefinedModels()
                        .get(resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1))
                : resolved;
        if (model != null && raw.isRecord() && model.getProperties() != null) {
            apply(raw, model);
        }
        if (model != null && raw.isEnum() && model.getEnum() != null) {
            enumNames(raw, model);
        }
        return resolved;
    }

    private static void enumNames(Class<?> type, Schema<?> model) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(constant -> ((Enum<?>) constant).name())
                .toList();
        List<String> values = model.getEnum().stream().map(String::valueOf).toList();
        if (!names.equals(values) && names.size() == values.size()) {
            model.addExtension("x-enum-varnames", names);
        }
    }

    private static void apply(Class<?> record, Schema<?> model) {
        List<String> required = new ArrayList<>(model.getRequired() == null ? List.of() : model.getRequired());
        for (RecordComponent component : record.getRecordComponents()) {
            String name = jsonName(record, component);
            Schema<?> property = model.getProperties().get(name);
            if (property == null) {
                continue;
            }
            boolean nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class);
            if (nullable && omitsNulls(record, component)) {
                required.remove(name);
                continue;
            }
            if (nullable) {
                model.getProperties().put(name, nullable(property));
            }
            if (!required.contains(name)) {
                required.add(name);
            }
        }
        model.setRequired(required.isEmpty() ? null : required);
    }

    static Schema<?> nullable(Schema<?> property) {
        if (property.get$ref() != null) {
            Schema<Object> wrapper = new Schema<>();
            wrapper.setOneOf(List.of(new Schema<>().$ref(property.get$ref()), nullSchema()));
            wrapper.setDescription(property.getDescription());
            return wrapper;
        }
        Set<String> types = new LinkedHashSet<>();
        if (property.getTypes() != null) {
            types.addAll(property.getTypes());
        } else if (property.getType() != null) {
            types.add(property.getType());
        }
        if (types.isEmpty()) {
            return property;
        }
        types.add("null");
        property.setTypes(types);
        return property;
    }

    private static Schema<?> nullSchema() {
        Schema<Object> none = new Schema<>();
        none.addType("null");
        return none;
    }

    private static String jsonName(Class<?> record, RecordComponent component) {
        JsonProperty renamed =
                field(record, component) != null ? field(record, component).getAnnotation(JsonProperty.class) : null;
        return renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
    }

    private static boolean omitsNulls(Class<?> record, RecordComponent component) {
        var field = field(record, component);
        JsonInclude include = field != null && field.isAnnotationPresent(JsonInclude.class)
                ? field.getAnnotation(JsonInclude.class)
                : record.getAnnotation(JsonInclude.class);
        return include != null
                && include.value() != JsonInclude.Include.ALWAYS
                && include.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    private static java.lang.reflect.@Nullable Field field(Class<?> record, RecordComponent component) {
        try {
            return record.getDeclaredField(component.getName());
        } catch (NoSuchFieldException ex) {
            return null;
        }
    }
}
