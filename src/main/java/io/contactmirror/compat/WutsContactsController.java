package io.contactmirror.compat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contactmirror.contact.Contact;
import io.contactmirror.contact.ContactService;
import io.contactmirror.tenant.TenantPrincipal;
import jakarta.validation.constraints.Size;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.JsonGenerator;

/** {@code GET /contacts} of WUTS: {@code {success, count, contacts: [...]}}, names omitted when unknown. */
@RestController
@ConditionalOnProperty(name = "contactmirror.compat.wuts.enabled", matchIfMissing = true)
class WutsContactsController {

    private final ContactService contactService;
    private final ContactStream stream;

    WutsContactsController(ContactService contactService, ContactStream stream) {
        this.contactService = contactService;
        this.stream = stream;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WutsContact(String jid, String first_name, String full_name, String push_name, String business_name) {
        static WutsContact of(Contact contact) {
            return new WutsContact(
                    contact.jid(), contact.firstName(), contact.fullName(), contact.pushName(), contact.businessName());
        }
    }

    @GetMapping(path = "/contacts", produces = "application/json")
    ResponseEntity<StreamingResponseBody> contacts(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName) {
        return stream.respond(
                contactService.instance(principal, instanceName),
                false,
                new ContactStream.Envelope() {
                    @Override
                    public void open(JsonGenerator generator) {
                        generator.writeStartObject();
                        generator.writeBooleanProperty("success", true);
                        generator.writeName("contacts");
                    }

                    @Override
                    public void close(JsonGenerator generator, long count) {
                        // The count follows the array because it is only known once the array is written.
                        generator.writeNumberProperty("count", count);
                        generator.writeEndObject();
                    }
                },
                WutsContact::of);
    }
}
