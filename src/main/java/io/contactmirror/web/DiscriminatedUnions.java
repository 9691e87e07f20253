package io.contactmirror.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rewrites a polymorphic type (a Jackson {@code @JsonTypeInfo} sealed interface with a discriminator mapping) from
 * swagger's "children extend the parent with allOf" into a named {@code oneOf} with the discriminator and mapping on
 * it, each child a plain object whose discriminator property is an enum of its one value. Generators only serialize
 * every field of the chosen child with that shape: with the allOf form the TypeScript client dropped all but
 * {@code type}.
 */
final class DiscriminatedUnions {

    private DiscriminatedUnions() {}

    static void flatten(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        for (Map.Entry<String, Schema> entry : new ArrayList<>(schemas.entrySet())) {
            Schema<?> parent = entry.getValue();
            if (parent.getDiscriminator() == null || parent.getDiscriminator().getMapping() == null) {
                continue;
            }
            String property = parent.getDiscriminator().getPropertyName();
            Map<String, String> mapping =
                    new TreeMap<>(parent.getDiscriminator().getMapping());
            List<Schema> options = new ArrayList<>();
            mapping.forEach((value, ref) -> {
                String child = ref.substring(ref.lastIndexOf('/') + 1);
                schemas.put(child, flatChild(schemas.get(child), property, value));
                options.add(new Schema<>().$ref(ref));
            });
            parent.setProperties(null);
            parent.setRequired(null);
            parent.setType(null);
            parent.setTypes(null);
            parent.setOneOf(options);
            parent.getDiscriminator().setMapping(new LinkedHashMap<>(mapping));
            Set<String> refs = new LinkedHashSet<>(mapping.values());
            useNamedUnion(openApi, entry.getKey(), refs);
        }
    }

    private static Schema<?> flatChild(Schema<?> child, String property, String value) {
        Schema<Object> flat = new Schema<>();
        flat.addType("object");
        flat.setDescription(child.getDescription());
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put(property, new StringSchema()._enum(List.of(value)));
        List<String> required = new ArrayList<>(List.of(property));
        List<Schema> parts = child.getAllOf() == null
                ? List.of(child)
                : child.getAllOf().stream()
                        .filter(part -> part.get$ref() == null)
                        .toList();
        for (Schema<?> part : parts) {
            if (part.getProperties() != null) {
                properties.putAll(part.getProperties());
            }
            if (part.getRequired() != null) {
                part.getRequired().forEach(name -> addOnce(required, name));
            }
        }
        if (child.getRequired() != null) {
            child.getRequired().forEach(name -> addOnce(required, name));
        }
        flat.setProperties(properties);
        flat.setRequired(required);
        return flat;
    }

    private static void addOnce(List<String> list, String value) {
        if (!list.contains(value)) {
            list.add(value);
        }
    }

    /** Replaces inline {@code oneOf}s of exactly the union's children with a reference to the union. */
    private static void useNamedUnion(OpenAPI openApi, String union, Set<String> childRefs) {
        openApi.getPaths()
                .values()
                .forEach(item -> item.readOperations().forEach(operation -> {
                    List<MediaType> media = new ArrayList<>();
                    if (operation.getRequestBody() != null
                            && operation.getRequestBody().getContent() != null) {
                        media.addAll(operation.getRequestBody().getContent().values());
                    }
                    operation.getResponses().values().forEach(response -> {
                        if (response.getContent() != null) {
                            media.addAll(response.getContent().values());
                        }
                    });
                    for (MediaType type : media) {
                        Schema<?> schema = type.getSchema();
                        if (schema != null
                                && schema.getOneOf() != null
                                && new LinkedHashSet<>(schema.getOneOf().stream()
                                                .map(Schema::get$ref)
                                                .toList())
                                        .equals(childRefs)) {
                            type.setSchema(new Schema<>().$ref("#/components/schemas/" + union));
                        }
                    }
                }));
    }
}
