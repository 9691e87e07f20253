package io.contactmirror.contact;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;

import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorResponse;
import io.contactmirror.web.PageResult;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The v1 contacts API. Everything is scoped to one instance the caller's token may see. */
@RestController
@Tag(name = "Contacts", description = "Mirrored WhatsApp contacts with CRM fields")
@RequestMapping(path = "/api/v1/contacts", produces = MediaType.APPLICATION_JSON_VALUE)
class ContactController {

    private static final String MERGED_IDS = "When WhatsApp reveals that two contacts are one person (a LID contact and the phone-number contact), the mirror merges them into the phone-number contact; the merged-away id stays valid and answers with (and edits) the contact it was merged into, whose `id` differs from the one in the URL.";

    private static final String MERGED_LOCATION = "Only for a merged-away id: the URL of the contact it was merged into, e.g. /api/v1/contacts/101";

    private static final Set<String> PATCHABLE = Set.of(
            "assignedUserId", "assignedDepartmentId", "funnelStageId", "notes", "customData", "showTimeInStage");

    private final ContactService contactService;

    ContactController(ContactService contactService) {
        this.contactService = contactService;
    }

    record ContactListResponse(
            boolean success,
            int count,
            long total,
            int page,
            int limit,
            boolean hasMore,
            ContactView.InstanceSummary instance,
            List<ContactView> contacts) {}

    record ContactResponse(boolean success, ContactView contact) {}

    record SaveContactRequest(
            @Size(max = 100) String instanceName,
            @Size(max = 30) String phone,
            @Size(max = 100) String jid,
            @Size(max = 300) String name) {}

    record ResolveRequest(
            @Size(max = 100) String instanceName,
            @NotEmpty @Size(max = ContactService.MAX_RESOLVE) List<@Size(max = 200) String> identifiers,
            @Size(max = 100) String groupJid) {}

    record ResolveResponse(
            boolean success, int count, ContactView.InstanceSummary instance, List<ContactService.Resolution> results) {}

    record ProfilePictureResponse(boolean success, String jid, String url, String id, String type, boolean changed) {}

    @Operation(operationId = "listContacts", summary = "List and search contacts", description = "Contacts of one instance, ordered by name, then id (pages are disjoint and cover the whole set). `q` matches any part of the names, chat name, phone digits (with or without +, spaces, dashes) and JID, ignoring case and accents; % and _ match literally. Groups only with includeGroups=true. `instanceName` may be omitted with a token bound to an instance or when the tenant has one instance. Check the instance's `syncState` to know whether a sync is still running.")
    @ApiResponse(responseCode = "200", description = "One page of contacts", content = @Content(schema = @Schema(implementation = ContactListResponse.class), examples = @io.swagger.v3.oas.annotations.media.ExampleObject(name = "wachat", value = "{\"success\":true,\"count\":1,\"total\":1,\"page\":1,\"limit\":50,\"hasMore\":false,\"instance\":{\"id\":29,\"instanceName\":\"jakarta_store\",\"displayName\":\"jakarta_store\",\"apiInstanceName\":\"t1_mq9r2jov_jakarta_store\",\"internalName\":\"t1_mq9r2jov_jakarta_store\"},\"contacts\":[{\"id\":101,\"name\":\"John Customer\",\"phone\":\"628123456789\",\"remoteJid\":\"628123456789@s.whatsapp.net\",\"lid\":null,\"isGroup\":false,\"pushName\":\"John\",\"fullName\":\"John Customer\",\"firstName\":\"John\",\"businessName\":null,\"profilePicUrl\":\"https://pps.whatsapp.net/v/t61.24694-24/example.jpg\",\"profilePictureUrl\":\"https://pps.whatsapp.net/v/t61.24694-24/example.jpg\",\"chat\":{\"id\":501,\"name\":\"John Customer\",\"pushName\":\"John\",\"lastMessageText\":\"Hello\",\"lastMessageTimestamp\":\"2026-06-13T08:00:00.000Z\",\"unreadCount\":0},\"assignedUserId\":null,\"assignedDepartmentId\":null,\"funnelStageId\":null,\"funnelStageChangedAt\":null,\"notes\":null,\"customData\":{},\"showTimeInStage\":false,\"version\":0,\"createdAt\":\"2026-06-13T08:00:00.000Z\",\"updatedAt\":\"2026-06-13T08:00:00.000Z\"}]}")))
    @GetMapping
    ContactListResponse list(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @RequestParam(required = false) @Size(max = 200) String q,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(PageResult.MAX_LIMIT) int limit,
            @RequestParam(defaultValue = "false") boolean includeGroups) {
        var result = contactService.list(principal, instanceName, q, includeGroups, page, limit);
        PageResult<ContactView> views = result.page().map(ContactView::of);
        return new ContactListResponse(
                true,
                views.count(),
                views.total(),
                page,
                limit,
                views.hasMore(),
                ContactView.InstanceSummary.of(result.instance()),
                views.items());
    }

    @Operation(operationId = "lookupContact", summary = "Look a contact up by phone or JID", description = "Exactly one of `phone` (country code, no + needed; the server appends @s.whatsapp.net) or `jid` (phone-number JID, LID or group JID). Brazilian numbers match with or without the ninth digit.")
    @GetMapping("/lookup")
    ResponseEntity<ContactResponse> lookup(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @RequestParam(required = false) @Size(max = 30) String phone,
            @RequestParam(required = false) @Size(max = 100) String jid) {
        return withEtag(contactService.lookup(principal, instanceName, phone, jid), HttpStatus.OK);
    }

    @Operation(operationId = "getProfilePicture", summary = "Profile picture", description = "Asks the live WhatsApp session for the current picture of a contact or group. With `existing_id` equal to the current picture id the answer is `changed: false` without a URL. Answers are cached for a minute.")
    @ApiResponse(responseCode = "200", description = "The picture (url and id are null when the contact has none)", content = @Content(schema = @Schema(implementation = ProfilePictureResponse.class)))
    @ApiResponse(responseCode = "409", description = "The instance has no live session (NOT_CONNECTED)", content = @Content(schema = @Schema(ref = "#/components/schemas/ErrorResponse")))
    @ApiResponse(responseCode = "503", description = "The session lives on another replica right now; retry", content = @Content(schema = @Schema(ref = "#/components/schemas/ErrorResponse")))
    @ApiResponse(responseCode = "504", description = "WhatsApp did not answer in time", content = @Content(schema = @Schema(ref = "#/components/schemas/ErrorResponse")))
    @GetMapping("/profile-picture")
    CompletableFuture<ProfilePictureResponse> profilePicture(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @RequestParam(required = false) @Size(max = 30) String phone,
            @RequestParam(required = false) @Size(max = 100) String jid,
            @RequestParam(defaultValue = "true") boolean preview,
            @RequestParam(name = "existing_id", required = false) @Size(max = 100) String existingId) {
        return contactService
                .profilePicture(principal, instanceName, phone, jid, preview, existingId)
                .thenApply(result -> new ProfilePictureResponse(
                        true, result.jid(), result.url(), result.id(), result.preview() ? "preview" : "image", result.changed()));
    }

    @Operation(operationId = "getContact", summary = "Get a contact", description = "One contact; the ETag header carries its version for If-Match. " + MERGED_IDS)
    @ApiResponse(responseCode = "200", description = "The contact (for a merged-away id, the contact it was merged into)", headers = @Header(name = "Content-Location", description = MERGED_LOCATION, schema = @Schema(type = "string")), content = @Content(schema = @Schema(implementation = ContactResponse.class)))
    @GetMapping("/{id}")
    ResponseEntity<ContactResponse> get(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable long id) {
        return withEtag(id, contactService.get(principal, id), HttpStatus.OK);
    }

    @Operation(operationId = "saveContact", summary = "Save a number or chat as a CRM contact", description = "Give `phone` or `jid`. Answers 201 when the contact is new, 200 when it existed.")
    @ApiResponse(responseCode = "200", description = "The contact existed", content = @Content(schema = @Schema(implementation = ContactResponse.class)))
    @ApiResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ContactResponse.class)))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ContactResponse> save(
            @AuthenticationPrincipal TenantPrincipal principal, @Valid @RequestBody SaveContactRequest request) {
        var saved = contactService.save(principal, request.instanceName(), request.phone(), request.jid(), request.name());
        return withEtag(saved.contact(), saved.created() ? HttpStatus.CREATED : HttpStatus.OK);
    }

    @Operation(operationId = "updateContactCrmFields", summary = "Update CRM fields", description = "A JSON merge patch of assignedUserId, assignedDepartmentId, funnelStageId, notes, customData (merged key by key; null removes a key) and showTimeInStage. A changed funnelStageId records funnelStageChangedAt. Send If-Match with the ETag to avoid lost updates. " + MERGED_IDS + " An If-Match with the merged-away contact's ETag answers 412, since the merge changed the contact.")
    @ApiResponse(responseCode = "200", description = "Updated; the ETag header carries the new version (for a merged-away id, the contact it was merged into was updated)", headers = @Header(name = "Content-Location", description = MERGED_LOCATION, schema = @Schema(type = "string")), content = @Content(schema = @Schema(implementation = ContactResponse.class)))
    @ApiResponse(responseCode = "412", description = "The contact changed since the If-Match version", content = @Content(schema = @Schema(ref = "#/components/schemas/ErrorResponse")))
    @PatchMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    ResponseEntity<ContactResponse> patch(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable long id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody JsonNode body) {
        return withEtag(id, contactService.patch(principal, id, crmPatch(body), ifMatch), HttpStatus.OK);
    }

    @Operation(operationId = "resolveIdentifiers", summary = "Resolve identifiers", description = "Resolves 1 to 160 phone numbers, phone-number JIDs or LID JIDs, in order, to the best-known identity (LIDs mapped to phone-number JIDs where known). With groupJid only members of that group are candidates.")
    @PostMapping(path = "/resolve", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResolveResponse resolve(@AuthenticationPrincipal TenantPrincipal principal, @Valid @RequestBody ResolveRequest request) {
        var result = contactService.resolve(principal, request.instanceName(), request.identifiers(), request.groupJid());
        return new ResolveResponse(
                true, result.results().size(), ContactView.InstanceSummary.of(result.instance()), result.results());
    }

    private static ResponseEntity<ContactResponse> withEtag(Contact contact, HttpStatus status) {
        return ResponseEntity.status(status).eTag(contact.etag()).body(new ContactResponse(true, ContactView.of(contact)));
    }

    /** As {@link #withEtag(Contact, HttpStatus)}; when the id asked for was merged away, names the survivor's URL. */
    private static ResponseEntity<ContactResponse> withEtag(long askedId, Contact contact, HttpStatus status) {
        var response = ResponseEntity.status(status).eTag(contact.etag());
        if (contact.id() != askedId) {
            response.header(HttpHeaders.CONTENT_LOCATION, "/api/v1/contacts/" + contact.id());
        }
        return response.body(new ContactResponse(true, ContactView.of(contact)));
    }

    /** Reads a merge patch of CRM fields: a named field set to null clears it, an absent one stays as it is. */
    static ContactService.CrmPatch crmPatch(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(ErrorCode.MALFORMED_REQUEST, "The body must be a JSON object of CRM fields");
        }
        List<ErrorResponse.FieldError> errors = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (String field : body.propertyNames()) {
            if (!PATCHABLE.contains(field)) {
                errors.add(new ErrorResponse.FieldError(field, "is not a CRM field; allowed: " + String.join(", ", PATCHABLE.stream().sorted().toList())));
            }
            present.add(field);
        }
        String user = idField(body, "assignedUserId", errors);
        String department = idField(body, "assignedDepartmentId", errors);
        String stage = idField(body, "funnelStageId", errors);
        String notes = null;
        JsonNode notesNode = body.get("notes");
        if (notesNode != null && !notesNode.isNull()) {
            if (!notesNode.isString() || notesNode.asString().length() > 10_000) {
                errors.add(new ErrorResponse.FieldError("notes", "must be a string of at most 10000 characters"));
            } else {
                notes = notesNode.asString();
            }
        }
        JsonNode customData = body.get("customData");
        if (customData != null && !customData.isNull() && !customData.isObject()) {
            errors.add(new ErrorResponse.FieldError("customData", "must be a JSON object (merge patch) or null"));
        } else if (customData != null && customData.toString().length() > 65_536) {
            errors.add(new ErrorResponse.FieldError("customData", "must be at most 64 KiB"));
        }
        Boolean showTime = null;
        JsonNode showNode = body.get("showTimeInStage");
        if (showNode != null) {
            if (!showNode.isBoolean()) {
                errors.add(new ErrorResponse.FieldError("showTimeInStage", "must be true or false"));
            } else {
                showTime = showNode.asBoolean();
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "validation failed", errors);
        }
        return new ContactService.CrmPatch(present, user, department, stage, notes, customData, showTime);
    }

    private static String idField(JsonNode body, String field, List<ErrorResponse.FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if ((node.isString() && !node.asString().isBlank() && node.asString().length() <= 100) || node.isIntegralNumber()) {
            return node.asString();
        }
        errors.add(new ErrorResponse.FieldError(field, "must be a non-empty string (at most 100 characters), an integer or null"));
        return null;
    }
}
