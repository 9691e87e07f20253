package io.contactmirror.compat;

import io.contactmirror.contact.Contact;
import io.contactmirror.contact.ContactLookup;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /getcontact?phone=} and {@code GET /getcontacts} of the whatsmeow-based contacts API: bare contact
 * objects; the phone has its country code and no {@code +}, the server appends {@code @s.whatsapp.net}.
 */
@RestController
@Tag(name = "Compatibility")
@ConditionalOnCompatApi(CompatProperties.Api.WHATSMEOW)
class WhatsmeowContactsController {

    private final ContactLookup contacts;
    private final ContactStream stream;

    WhatsmeowContactsController(ContactLookup contacts, ContactStream stream) {
        this.contacts = contacts;
        this.stream = stream;
    }

    record WhatsmeowContact(
            String jid,
            @Nullable String push_name,
            @Nullable String full_name,
            @Nullable String first_name) {
        static WhatsmeowContact of(Contact contact) {
            return new WhatsmeowContact(contact.jid(), contact.pushName(), contact.fullName(), contact.firstName());
        }
    }

    @Operation(
            operationId = "whatsmeowGetContact",
            summary = "whatsmeow: get one contact",
            description = "The phone with country code, digits only; the server appends @s.whatsapp.net.")
    @ApiResponse(
            responseCode = "200",
            description = "The contact",
            content =
                    @Content(
                            schema = @Schema(implementation = WhatsmeowContact.class),
                            examples =
                                    @ExampleObject(
                                            value =
                                                    "{\"jid\":\"1234567890@s.whatsapp.net\",\"push_name\":\"John Doe\",\"full_name\":\"John Doe\",\"first_name\":\"John\"}")))
    @ErrorCodes({
        ErrorCode.VALIDATION_ERROR,
        ErrorCode.INSTANCE_REQUIRED,
        ErrorCode.INSTANCE_NOT_FOUND,
        ErrorCode.CONTACT_NOT_FOUND,
        ErrorCode.UNAUTHORIZED,
        ErrorCode.FORBIDDEN,
        ErrorCode.TOO_MANY_REQUESTS,
        ErrorCode.INTERNAL_ERROR
    })
    @GetMapping(path = "/getcontact", produces = "application/json")
    WhatsmeowContact contact(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @RequestParam @Size(max = 30) String phone) {
        if (!phone.strip().matches("[0-9]{7,15}")) {
            throw ApiException.invalid("phone", "must be the number with country code, digits only, e.g. 1234567890");
        }
        return WhatsmeowContact.of(contacts.lookup(principal, instanceName, phone.strip(), null));
    }

    @Operation(
            operationId = "whatsmeowGetContacts",
            summary = "whatsmeow: get all contacts",
            description = "A bare array of every contact (groups excluded), ordered by name.")
    @ApiResponse(
            responseCode = "200",
            description = "All contacts",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = WhatsmeowContact.class))))
    @ErrorCodes({
        ErrorCode.VALIDATION_ERROR,
        ErrorCode.INSTANCE_REQUIRED,
        ErrorCode.INSTANCE_NOT_FOUND,
        ErrorCode.UNAUTHORIZED,
        ErrorCode.FORBIDDEN,
        ErrorCode.TOO_MANY_REQUESTS,
        ErrorCode.INTERNAL_ERROR
    })
    @GetMapping(path = "/getcontacts", produces = "application/json")
    void contacts(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            HttpServletResponse response)
            throws IOException {
        stream.write(
                response,
                contacts.instance(principal, instanceName),
                false,
                ContactStream.BARE_ARRAY,
                WhatsmeowContact::of);
    }
}
