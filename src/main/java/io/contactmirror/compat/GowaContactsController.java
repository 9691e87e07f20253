package io.contactmirror.compat;

import io.contactmirror.contact.ContactLookup;
import io.contactmirror.tenant.TenantPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;

/**
 * {@code GET /user/my/contacts} of go-whatsapp-web-multidevice: HTTP Basic with any user name and a tenant token
 * as password, {@code X-Device-Id} naming the instance (optional with one instance or a bound token).
 */
@RestController
@Tag(name = "Compatibility", description = "Drop-in routes of the WhatsApp APIs customers migrate from")
@ConditionalOnCompatApi(CompatProperties.Api.GOWA)
class GowaContactsController {

    private static final String GOWA_EXAMPLE = """
            {
              "code": "SUCCESS",
              "message": "Success get list contacts",
              "results": {
                "data": [
                  {
                    "jid": "6289685028129@s.whatsapp.net",
                    "name": "Aldino Kemal"
                  }
                ]
              }
            }
            """;

    private final ContactLookup contacts;
    private final ContactStream stream;

    GowaContactsController(ContactLookup contacts, ContactStream stream) {
        this.contacts = contacts;
        this.stream = stream;
    }

    record GowaContact(String jid, String name) {}

    record GowaResults(List<GowaContact> data) {}

    /** The document this route streams (declared for the OpenAPI contract). */
    record GowaContactsResponse(String code, String message, GowaResults results) {}

    record GowaError(String code, String message, @Nullable Object results) {}

    @Operation(
            operationId = "gowaListContacts",
            summary = "GOWA: list contacts",
            description =
                    "go-whatsapp-web-multidevice compatible. HTTP Basic: any user name, a tenant token as password. X-Device-Id names the instance (optional with one instance or a bound token). All contacts, groups excluded, ordered by name.",
            security = @SecurityRequirement(name = "basicAuth"))
    @ApiResponse(
            responseCode = "200",
            description = "All contacts",
            content =
                    @Content(
                            schema = @Schema(implementation = GowaContactsResponse.class),
                            examples = @ExampleObject(value = GOWA_EXAMPLE)))
    @ApiResponse(
            responseCode = "401",
            description = "Bad credentials",
            content = @Content(schema = @Schema(implementation = GowaError.class)))
    @ApiResponse(
            responseCode = "404",
            description = "Unknown device",
            content = @Content(schema = @Schema(implementation = GowaError.class)))
    @ApiResponse(
            responseCode = "500",
            description = "Failure",
            content =
                    @Content(
                            schema = @Schema(implementation = GowaError.class),
                            examples =
                                    @ExampleObject(
                                            value =
                                                    "{\"code\":\"INTERNAL_SERVER_ERROR\",\"message\":\"Failed to fetch contacts\",\"results\":null}")))
    @GetMapping(path = "/user/my/contacts", produces = "application/json")
    void contacts(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestHeader(name = "X-Device-Id", required = false) String deviceId,
            HttpServletResponse response)
            throws IOException {
        var instance = contacts.instance(principal, deviceId);
        stream.write(
                response,
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
