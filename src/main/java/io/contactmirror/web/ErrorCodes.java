package io.contactmirror.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error codes an operation can answer with besides those every operation can (validation, authentication,
 * scope, rate limit, internal error): the contract declares a response per status with a real example per code.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ErrorCodes {
    ErrorCode[] value();
}
