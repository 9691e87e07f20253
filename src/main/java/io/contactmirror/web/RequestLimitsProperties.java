package io.contactmirror.web;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on what one request may make the server read and parse.
 *
 * @param maxBody the largest request body of any route not listed below; larger bodies get 413
 * @param maxContactPatchBody the largest body of {@code PATCH /api/v1/contacts/{id}} (customData may hold 64 KiB)
 * @param bodyReadTimeout how long a client may take to send its whole body before it gets 408
 * @param maxJsonDepth the deepest nesting of arrays and objects a JSON body may have
 * @param maxJsonArrayLength the most elements one JSON array may have
 */
@Validated
@ConfigurationProperties("contactmirror.limits")
public record RequestLimitsProperties(
        @DefaultValue("64KB") DataSize maxBody,
        @DefaultValue("256KB") DataSize maxContactPatchBody,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration bodyReadTimeout,
        @DefaultValue("32") @Positive int maxJsonDepth,
        @DefaultValue("1000") @Positive int maxJsonArrayLength) {}
