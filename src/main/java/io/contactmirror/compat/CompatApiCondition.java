package io.contactmirror.compat;

import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Reads {@link CompatProperties} the way the bean will be bound (defaults included), while the controllers are
 * scanned, before any bean exists. A value that does not bind fails the start with the binder's message.
 */
final class CompatApiCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes =
                Objects.requireNonNull(metadata.getAnnotationAttributes(ConditionalOnCompatApi.class.getName()));
        CompatProperties.Api api = (CompatProperties.Api) attributes.get("value");
        CompatProperties properties =
                Binder.get(context.getEnvironment()).bindOrCreate(CompatProperties.PREFIX, CompatProperties.class);
        return properties.enabled(api);
    }
}
