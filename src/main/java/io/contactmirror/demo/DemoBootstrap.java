package io.contactmirror.demo;

import io.contactmirror.connection.EngineType;
import io.contactmirror.database.EmbeddedDatabaseConfiguration.EmbeddedDatabase;
import io.contactmirror.instance.InstanceService;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.Tenant;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.tenant.TenantService;
import io.contactmirror.tenant.TenantUser;
import io.contactmirror.tenant.TokenService;
import io.contactmirror.tenant.UserRole;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * On the embedded default (or when enabled explicitly) the first start creates tenant {@code demo} and prints
 * its token once, with a ready {@code curl} line, so a newcomer sees data right away.
 */
@Component
class DemoBootstrap {

    static final String DEMO_SLUG = "demo";
    static final int DEMO_CONTACTS = 500;
    static final int DEMO_GROUPS = 6;
    private static final Logger log = LoggerFactory.getLogger(DemoBootstrap.class);

    private final TenantService tenantService;
    private final InstanceService instanceService;
    private final TokenService tokenService;
    private final DemoProperties properties;
    private final boolean embeddedDatabase;

    DemoBootstrap(
            TenantService tenantService,
            InstanceService instanceService,
            TokenService tokenService,
            DemoProperties properties,
            ObjectProvider<EmbeddedDatabase> embeddedDatabase) {
        this.tenantService = tenantService;
        this.instanceService = instanceService;
        this.tokenService = tokenService;
        this.properties = properties;
        this.embeddedDatabase = embeddedDatabase.getIfAvailable() != null;
    }

    boolean enabled() {
        return Optional.ofNullable(properties.enabled()).orElse(embeddedDatabase);
    }

    /** A sandbox phone "scanned" right away, so the first curl already shows contacts. */
    private void createDemoInstance(TenantService.Onboarded demo) {
        var principal = new TenantPrincipal(
                demo.token().token().getId(),
                demo.tenant().getId(),
                demo.owner().getId(),
                null,
                Scope.all());
        instanceService.create(
                principal,
                DEMO_SLUG,
                "Demo phone",
                EngineType.SANDBOX,
                new InstanceService.SandboxOptions(42L, DEMO_CONTACTS, DEMO_GROUPS));
        instanceService.connect(principal, DEMO_SLUG);
        instanceService.sandboxScan(principal, DEMO_SLUG);
    }

    @EventListener(ApplicationReadyEvent.class)
    void createDemoTenant(ApplicationReadyEvent event) {
        if (!enabled()) {
            return;
        }
        var existing = tenantService.findBySlug(DEMO_SLUG);
        if (existing.isPresent()) {
            if (properties.newToken()) {
                printToken("A new token of the demo tenant", issueOwnerToken(existing.get()), port(event));
            } else {
                log.info(
                        "Demo tenant '{}' already exists; its token was printed when it was created (lost it? start"
                                + " once with CONTACTMIRROR_DEMO_NEW_TOKEN=true)",
                        DEMO_SLUG);
            }
            return;
        }
        TenantService.Onboarded demo;
        try {
            demo = tenantService.onboard(DEMO_SLUG, "Demo", "demo@contact-mirror.local", "Demo owner");
        } catch (DataIntegrityViolationException ex) {
            log.info("Demo tenant was created concurrently by another replica");
            return;
        }
        createDemoInstance(demo);
        printToken("Demo tenant created. Its token", demo.token().secret().toString(), port(event));
    }

    private String issueOwnerToken(Tenant tenant) {
        TenantUser owner = tenantService.users(tenant.getId()).stream()
                .filter(user -> user.getRole() == UserRole.OWNER)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The demo tenant has no owner"));
        return tokenService
                .issue(
                        tenant.getId(),
                        owner.getId(),
                        null,
                        "demo token (contactmirror.demo.new-token)",
                        Scope.all(),
                        null)
                .secret()
                .toString();
    }

    private static int port(ApplicationReadyEvent event) {
        return event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort()
                : 8080;
    }

    private void printToken(String what, String token, int port) {
        log.info("""

                ===================================================================
                {} is shown only this once:

                  {}

                Try it:
                  curl -H 'Authorization: Bearer {}' 'http://localhost:{}/api/v1/contacts?instanceName=demo&limit=5'

                The sandbox instance 'demo' pairs and syncs its {} contacts in a few seconds
                (GET /api/v1/instances/demo shows syncState).
                ===================================================================""", what, token, token, port, DEMO_CONTACTS);
    }
}
