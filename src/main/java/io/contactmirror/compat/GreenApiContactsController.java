package io.contactmirror.compat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contactmirror.contact.Contact;
import io.contactmirror.contact.ContactLookup;
import io.contactmirror.contact.Jids;
import io.contactmirror.instance.Instance;
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
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /waInstance{idInstance}/getContacts/{apiTokenInstance}} of Green API: the token travels in the path,
 * {@code idInstance} is the instance id; a bare array with Green API's {@code @c.us} suffix for users.
 */
@RestController
@Tag(name = "Compatibility")
@ConditionalOnCompatApi(CompatProperties.Api.GREEN_API)
class GreenApiContactsController {

    private static final String GREEN_API_EXAMPLE = """
            [
              {
                "id": "11001234567@c.us",
                "name": "Ivan Petrov",
                "contactName": "Ivan Petorov Work",
                "type": "user"
              },
              {
                "id": "79001234569-1479621234@g.us",
                "name": "My group",
                "type": "group"
              }
            ]
            """;

    private final ContactLookup contacts;
    private final ContactStream stream;

    GreenApiContactsController(ContactLookup contacts, ContactStream stream) {
        this.contacts = contacts;
        this.stream = stream;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GreenApiContact(String id, String name, @Nullable String contactName, String type) {
        static GreenApiContact of(Contact contact) {
            if (contact.group()) {
                return new GreenApiContact(
                        contact.jid(), contact.displayName() != null ? contact.displayName() : "", null, "group");
            }
            String id = Jids.isPhoneJid(contact.jid()) ? contact.phone() + "@c.us" : contact.jid();
            return new GreenApiContact(
                    id,
                    contact.pushName() != null ? contact.pushName() : "",
                    contact.fullName() != null ? contact.fullName() : "",
                    "user");
        }
    }

    @Operation(
            operationId = "greenApiGetContacts",
            summary = "Green API: getContacts",
            description =
                    "Green API compatible. The credential is the `apiTokenInstance` path segment (a tenant token), not an Authorization header, so this operation declares no security scheme. `idInstance` is the instance's numeric `id` (see `getInstance`). Users get Green API's @c.us suffix, groups @g.us.")
    @SecurityRequirements
    @ErrorCodes({
        ErrorCode.INSTANCE_NOT_FOUND,
        ErrorCode.UNAUTHORIZED,
        ErrorCode.FORBIDDEN,
        ErrorCode.TOO_MANY_REQUESTS,
        ErrorCode.INTERNAL_ERROR
    })
    @ApiResponse(
            responseCode = "200",
            description = "All contacts and groups",
            content =
                    @Content(
                            array = @ArraySchema(schema = @Schema(implementation = GreenApiContact.class)),
                            examples = @ExampleObject(value = GREEN_API_EXAMPLE)))
    @GetMapping(path = "/waInstance{idInstance}/getContacts/{apiTokenInstance}", produces = "application/json")
    void contacts(
            @AuthenticationPrincipal TenantPrincipal principal,
            @io.swagger.v3.oas.annotations.Parameter(
                            description = "The instance's numeric id (`id` in the instances API)")
                    @PathVariable
                    String idInstance,
            @io.swagger.v3.oas.annotations.Parameter(
                            description =
                                    "The credential: a tenant token (UUID v4) with scope contacts:read, in place of an Authorization header. A missing, unknown, revoked or expired one gets 401.",
                            schema = @Schema(type = "string", format = "uuid"))
                    @PathVariable
                    String apiTokenInstance,
            HttpServletResponse response)
            throws IOException {
        Instance instance = contacts.instanceById(principal, idInstance)
                .orElseThrow(() -> new ApiException(ErrorCode.INSTANCE_NOT_FOUND, "Instance not found"));
        stream.write(response, instance, true, ContactStream.BARE_ARRAY, GreenApiContact::of);
    }
}
