package io.contactmirror.compat;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which seed APIs' routes are mounted; each is on unless switched off.
 *
 * @param gowa {@code GET /user/my/contacts} (go-whatsapp-web-multidevice)
 * @param whatsmeow {@code GET /getcontact} and {@code GET /getcontacts} (whatsmeow-based API)
 * @param wuts {@code GET /contacts} (WUTS)
 * @param greenApi {@code GET /waInstance{id}/getContacts/{token}} (Green API)
 */
@Validated
@ConfigurationProperties(CompatProperties.PREFIX)
record CompatProperties(
        @DefaultValue @Valid @NotNull Routes gowa,
        @DefaultValue @Valid @NotNull Routes whatsmeow,
        @DefaultValue @Valid @NotNull Routes wuts,
        @DefaultValue @Valid @NotNull Routes greenApi) {

    static final String PREFIX = "contactmirror.compat";

    /**
     * One seed API's routes.
     *
     * @param enabled whether the routes are mounted
     */
    record Routes(@DefaultValue("true") boolean enabled) {}

    /** The seed APIs whose routes can be switched off. */
    enum Api {
        GOWA,
        WHATSMEOW,
        WUTS,
        GREEN_API
    }

    boolean enabled(Api api) {
        return switch (api) {
            case GOWA -> gowa.enabled();
            case WHATSMEOW -> whatsmeow.enabled();
            case WUTS -> wuts.enabled();
            case GREEN_API -> greenApi.enabled();
        };
    }
}
