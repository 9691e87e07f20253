package io.contactmirror.compat;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/** Registers a compat controller only while its seed API's routes are enabled in {@link CompatProperties}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(CompatApiCondition.class)
@interface ConditionalOnCompatApi {

    CompatProperties.Api value();
}
