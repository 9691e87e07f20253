package io.contactmirror.compat;

import io.contactmirror.contact.ContactService;
import io.contactmirror.tenant.TenantPrincipal;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.JsonGenerator;

/**
 * {@code GET /user/my/contacts} of go-whatsapp-web-multidevice: HTTP Basic with any user name and a tenant token
 * as password, {@code X-Device-Id} naming the instance (optional with one instance or a bound token).
 */
@RestController
@ConditionalOnProperty(name = "contactmirror.compat.gowa.enabled", matchIfMissing = true)
class GowaContactsController {

    private final ContactService contactService;
    private final ContactStream stream;

    GowaContactsController(ContactService contactService, ContactStream stream) {
        this.contactService = contactService;
        this.stream = stream;
    }

    record GowaContact(String jid, String name) {}

    @GetMapping(path = "/user/my/contacts", produces = "application/json")
    ResponseEntity<StreamingResponseBody> contacts(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestHeader(name = "X-Device-Id", required = false) String deviceId) {
        var instance = contactService.instance(principal, deviceId);
        return stream.respond(
                instance,
                false,
                new ContactStream.Envelope() {
                    @Override
                    public void open(JsonGenerator generator) {
                        generator.writeStartObject();
                        generator.writeStringProperty("code", "SUCCESS");
                        generator.writeStringProperty("message", "Success get list contacts");
                        generator.writeName("results");
                        generator.writeStartObject();
                        generator.writeName("data");
                    }

                    @Override
                    public void close(JsonGenerator generator, long count) {
                        generator.writeEndObject();
                        generator.writeEndObject();
                    }
                },
                contact -> new GowaContact(contact.jid(), contact.displayName() != null ? contact.displayName() : ""));
    }
}
