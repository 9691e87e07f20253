package io.contactmirror.compat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contactmirror.contact.Contact;
import io.contactmirror.contact.ContactLookup;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;

/** {@code GET /contacts} of WUTS: {@code {success, count, contacts: [...]}}, names omitted when unknown. */
@RestController
@Tag(name = "Compatibility")
@ConditionalOnCompatApi(CompatProperties.Api.WUTS)
class WutsContactsController {

    private static final String WUTS_EXAMPLE = """
            {
              "success": true,
              "count": 2,
              "contacts": [
                {
                  "jid": "5511999999999@s.whatsapp.net",
                  "first_name": "Maria",
                  "full_name": "Maria Silva",
                  "push_name": "Maria",
                  "business_name": "Silva Comercio"
                },
                {
                  "jid": "5511888888888@s.whatsapp.net",
                  "full_name": "Joao Pereira",
                  "push_name": "Joao"
                }
              ]
            }
            """;

    private final ContactLookup contacts;
    private final ContactStream stream;

    WutsContactsController(ContactLookup contacts, ContactStream stream) {
        this.contacts = contacts;
        this.stream = stream;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WutsContact(
            String jid,
            @Nullable String first_name,
            @Nullable String full_name,
            @Nullable String push_name,
            @Nullable String business_name) {
        static WutsContact of(Contact contact) {
            return new WutsContact(
                    contact.jid(), contact.firstName(), contact.fullName(), contact.pushName(), contact.businessName());
        }
    }

    /** The document this route streams (declared for the OpenAPI contract). */
    record WutsContactsResponse(boolean success, long count, List<WutsContact> contacts) {}

    @Operation(
            operationId = "wutsListContacts",
            summary = "WUTS: list synced contacts",
            description = "Every contact (groups excluded) with names; unknown names are omitted.")
    @ApiResponse(
            responseCode = "200",
            description = "All contacts",
            content =
                    @Content(
                            schema = @Schema(implementation = WutsContactsResponse.class),
                            examples = @ExampleObject(value = WUTS_EXAMPLE)))
    @ErrorCodes({
        ErrorCode.VALIDATION_ERROR,
        ErrorCode.INSTANCE_REQUIRED,
        ErrorCode.INSTANCE_NOT_FOUND,
        ErrorCode.UNAUTHORIZED,
        ErrorCode.FORBIDDEN,
        ErrorCode.TOO_MANY_REQUESTS,
        ErrorCode.INTERNAL_ERROR
    })
    @GetMapping(path = "/contacts", produces = "application/json")
    void contacts(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            HttpServletResponse response)
            throws IOException {
        stream.write(
                response,
                contacts.instance(principal, instanceName),
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
