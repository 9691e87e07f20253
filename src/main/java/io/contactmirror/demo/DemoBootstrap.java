package io.contactmirror.demo;

import io.contactmirror.database.EmbeddedDatabaseConfiguration.EmbeddedDatabase;
import io.contactmirror.tenant.TenantService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On the embedded default (or when enabled explicitly) the first start creates tenant {@code demo} and prints
 * its token once, with a ready {@code curl} line, so a newcomer sees data right away.
 */
@Component
class DemoBootstrap {

    static final String DEMO_SLUG = "demo";
    private static final Logger log = LoggerFactory.getLogger(DemoBootstrap.class);

    private final TenantService tenantService;
    private final DemoProperties properties;
    private final boolean embeddedDatabase;

    DemoBootstrap(
            TenantService tenantService, DemoProperties properties, ObjectProvider<EmbeddedDatabase> embeddedDatabase) {
        this.tenantService = tenantService;
        this.properties = properties;
        this.embeddedDatabase = embeddedDatabase.getIfAvailable() != null;
    }

    boolean enabled() {
        return Optional.ofNullable(properties.enabled()).orElse(embeddedDatabase);
    }

    @EventListener(ApplicationReadyEvent.class)
    void createDemoTenant(ApplicationReadyEvent event) {
        if (!enabled()) {
            return;
        }
        if (tenantService.findBySlug(DEMO_SLUG).isPresent()) {
            log.info("Demo tenant '{}' already exists; its token was printed when it was created", DEMO_SLUG);
            return;
        }
        TenantService.Onboarded demo;
        try {
            demo = tenantService.onboard(DEMO_SLUG, "Demo", "demo@contact-mirror.local", "Demo owner");
        } catch (DataIntegrityViolationException ex) {
            log.info("Demo tenant was created concurrently by another replica");
            return;
        }
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort()
                : 8080;
        String token = demo.token().secret().toString();
        log.info(
                """

                ===================================================================
                Demo tenant created. Its token is shown only this once:

                  {}

                Try it:
                  curl -H 'Authorization: Bearer {}' http://localhost:{}/api/v1/tokens
                ===================================================================""",
                token,
                token,
                port);
    }
}
