package io.contactmirror.contact;

import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.contactmirror.web.ErrorEnvelope;
import io.contactmirror.web.PageResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
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

    private static final String LIST_EXAMPLE = """
            {
              "success": true,
              "count": 1,
              "total": 1,
              "totalExact": true,
              "page": 1,
              "limit": 50,
              "hasMore": false,
              "nextCursor": null,
              "instance": {
                "id": 29,
                "instanceName": "jakarta_store",
                "displayName": "jakarta_store",
                "apiInstanceName": "t1_mq9r2jov_jakarta_store",
                "internalName": "t1_mq9r2jov_jakarta_store"
              },
              "contacts": [
                {
                  "id": 101,
                  "name": "John Customer",
                  "phone": "628123456789",
                  "remoteJid": "628123456789@s.whatsapp.net",
                  "lid": null,
                  "isGroup": false,
                  "pushName": "John",
                  "fullName": "John Customer",
                  "firstName": "John",
                  "businessName": null,
                  "profilePicUrl": "https://pps.whatsapp.net/v/t61.24694-24/example.jpg",
                  "profilePictureUrl": "https://pps.whatsapp.net/v/t61.24694-24/example.jpg",
                  "chat": {
                    "id": 501,
                    "name": "John Customer",
                    "pushName": "John",
                    "lastMessageText": "Hello",
                    "lastMessageTimestamp": "2026-06-13T08:00:00.000Z",
                    "unreadCount": 0
                  },
                  "assignedUserId": null,
                  "assignedDepartmentId": null,
                  "funnelStageId": null,
                  "funnelStageChangedAt": null,
                  "notes": null,
                  "customData": {},
                  "showTimeInStage": false,
                  "version": 0,
                  "createdAt": "2026-06-13T08:00:00.000Z",
                  "updatedAt": "2026-06-13T08:00:00.000Z"
                }
              ]
            }
            """;

    private static final String MERGED_IDS =
            "When WhatsApp reveals that two contacts are one person (a LID contact and the phone-number contact), the mirror merges them into the phone-number contact; the merged-away id stays valid and answers with (and edits) the contact it was merged into, whose `id` differs from the one in the URL.";

    private static final String MERGED_LOCATION =
            "Only for a merged-away id: the URL of the contact it was merged into, e.g. /api/v1/contacts/101";

    private static final Set<String> PATCHABLE =
            Set.of("assignedUserId", "assignedDepartmentId", "funnelStageId", "notes", "customData", "showTimeInStage");

    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String ETAG_HEADER = "#/components/headers/ETag";
    static final String IF_MATCH_PATTERN = "^(\\*|(W/)?\"[0-9]+\"(\\s*,\\s*(W/)?\"[0-9]+\")*)$";

    private final ContactLookup contacts;
    private final ContactSearch search;
    private final CrmEdits edits;
    private final ProfilePictures pictures;
    private final IdentifierResolver resolver;

    ContactController(
            ContactLookup contacts,
            ContactSearch search,
            CrmEdits edits,
            ProfilePictures pictures,
            IdentifierResolver resolver) {
        this.contacts = contacts;
        this.search = search;
        this.edits = edits;
        this.pictures = pictures;
        this.resolver = resolver;
    }

    record ContactListResponse(
            boolean success,
            int count,

            @Schema(
                    description =
                            "Matching contacts. Without q/updatedSince: the instance's maintained counters. With them: counted exactly up to 1000 (totalExact true); beyond, 1000 with totalExact false. A q of 1-2 characters counts only within the 10,000 contacts it reads per request, so its total may be a lower bound (totalExact false). Pages continued from a cursor repeat the first page's total. Example of a broad search: {\"count\":50,\"total\":1000,\"totalExact\":false,\"hasMore\":true,\"nextCursor\":\"YzEf…\"}",
                    example = "1000")
            long total,

            @Schema(
                    description =
                            "false when total is a lower bound: the count stopped at its cap (1000) or, for a 1-2 character q, at the end of its bounded read")
            boolean totalExact,

            int page,
            int limit,
            boolean hasMore,

            @Schema(
                    description =
                            "Pass as cursor= to get the next page (same instanceName, q, includeGroups, updatedSince); null on the last page")
            @Nullable
            String nextCursor,

            ContactView.InstanceSummary instance,
            List<ContactView> contacts) {}

    record ContactResponse(boolean success, ContactView contact) {}

    record SaveContactRequest(
            @Size(max = 100) @Nullable String instanceName,
            @Size(max = 30) @Nullable String phone,
            @Size(max = 100) @Nullable String jid,
            @Size(max = 300) @Nullable String name) {}

    record ResolveRequest(
            @Size(max = 100) @Nullable String instanceName,

            @NotEmpty @Size(max = IdentifierResolver.MAX_RESOLVE)
            List<@Size(max = 200) String> identifiers,

            @Size(max = 100) @Nullable String groupJid) {}

    record ResolveResponse(
            boolean success,
            int count,
            ContactView.InstanceSummary instance,
            List<IdentifierResolver.Resolution> results) {}

    /**
     * The body of {@code PATCH /contacts/{id}}, declared for the contract: a JSON merge patch (RFC 7386), read field by
     * field by {@link #crmPatch(JsonNode)} because "absent" (keep) and "null" (clear) differ.
     */
    @Schema(
            name = "ContactCrmPatch",
            description =
                    "A JSON merge patch (RFC 7386) of the CRM fields: an absent field stays as it is, null clears it. Other fields are refused (400).")
    record ContactCrmPatch(
            @Schema(description = "User id (string or integer, at most 100 characters)", maxLength = 100) @Nullable
            String assignedUserId,

            @Schema(description = "Department id (string or integer, at most 100 characters)", maxLength = 100)
            @Nullable
            String assignedDepartmentId,

            @Schema(description = "Funnel stage id; a change records funnelStageChangedAt", maxLength = 100) @Nullable
            String funnelStageId,

            @Schema(maxLength = 10_000) @Nullable String notes,

            @Schema(description = "Merged key by key into the stored object; a key set to null is removed") @Nullable
            JsonNode customData,

            @Nullable Boolean showTimeInStage) {}

    record ProfilePictureResponse(
            boolean success,
            String jid,
            @Nullable String url,
            @Nullable String id,
            String type,
            boolean changed) {}

    @Operation(
            operationId = "listContacts",
            summary = "List and search contacts",
            description =
                    "Contacts of one instance, ordered by name, then id (pages are disjoint and cover the whole set). Every page carries `nextCursor`; `cursor=` continues from it in constant time at any depth (keyset on name, id). A q of 1-2 characters reads at most 10,000 contacts per request: its page may hold fewer than `limit` contacts (even none) while `hasMore` is true; follow `nextCursor`. `q` matches any part of the names, chat name, phone digits (with or without +, spaces, dashes) and the number of the JID or LID, ignoring case and accents (a whole JID such as 628123456789@s.whatsapp.net is searched by the part before @); % and _ match literally. Groups only with includeGroups=true. `instanceName` may be omitted with a token bound to an instance or when the tenant has one instance. Check the instance's `syncState` to know whether a sync is still running.")
    @ApiResponse(
            responseCode = "200",
            description = "One page of contacts",
            content =
                    @Content(
                            schema = @Schema(implementation = ContactListResponse.class),
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = LIST_EXAMPLE)))
    @ErrorCodes({ErrorCode.INSTANCE_REQUIRED, ErrorCode.INSTANCE_NOT_FOUND})
    @GetMapping
    ContactListResponse list(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @RequestParam(required = false) @Size(max = 200) String q,
            @Parameter(
                            description =
                                    "Page number (offset paging, as in the Wachat API). Any page of the unfiltered list is served (deep pages start from list-order anchors: while the instance is being written they may show the order of up to 10 s ago); a search or updatedSince filter pages by number only through its 1000 counted matches (deeper: 400, use cursor). Cursors are exact at any depth.")
                    @RequestParam(defaultValue = "1")
                    @Min(1)
                    @Max(PageResult.MAX_PAGE)
                    int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(PageResult.MAX_LIMIT) int limit,
            @RequestParam(defaultValue = "false") boolean includeGroups,
            @Parameter(
                            description =
                                    "nextCursor of the previous page: continues after it at any depth in constant time. Only valid with the same instanceName, q, includeGroups and updatedSince (400 otherwise); not combined with page.")
                    @RequestParam(required = false)
                    @Size(max = 2000)
                    String cursor,
            @Parameter(
                            description =
                                    "Only contacts changed at or after this ISO-8601 timestamp (with offset, e.g. 2026-11-28T10:00:00Z)",
                            schema = @Schema(type = "string", format = "date-time"))
                    @RequestParam(required = false)
                    @Size(max = 40)
                    String updatedSince) {
        var result = search.list(
                principal,
                instanceName,
                q,
                includeGroups,
                page,
                limit,
                cursor,
                timestamp("updatedSince", updatedSince));
        PageResult<ContactView> views = result.page().map(ContactView::of);
        return new ContactListResponse(
                true,
                views.count(),
                views.total(),
                views.totalExact(),
                page,
                limit,
                views.hasMore(),
                views.nextCursor(),
                ContactView.InstanceSummary.of(result.instance()),
                views.items());
    }

    private static @Nullable Instant timestamp(String parameter, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException ex) {
            throw ApiException.invalid(
                    parameter, "must be an ISO-8601 timestamp with offset, e.g. 2026-11-28T10:00:00Z");
        }
    }

    @Operation(
            operationId = "lookupContact",
            summary = "Look a contact up by phone or JID",
            description =
                    "Exactly one of `phone` (country code, no + needed; the server appends @s.whatsapp.net) or `jid` (phone-number JID, LID or group JID). Brazilian numbers match with or without the ninth digit.")
    @ApiResponse(
            responseCode = "200",
            description = "The contact; the ETag header carries its version",
            headers = @Header(name = "ETag", ref = ETAG_HEADER))
    @ErrorCodes({ErrorCode.INSTANCE_REQUIRED, ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.CONTACT_NOT_FOUND})
    @GetMapping("/lookup")
    ResponseEntity<ContactResponse> lookup(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @RequestParam(required = false) @Size(max = 30) String phone,
            @RequestParam(required = false) @Size(max = 100) String jid) {
        return withEtag(contacts.lookup(principal, instanceName, phone, jid), HttpStatus.OK);
    }

    @Operation(
            operationId = "getProfilePicture",
            summary = "Profile picture",
            description =
                    "Asks the live WhatsApp session for the current picture of a contact or group. With `existing_id` equal to the current picture id the answer is `changed: false` without a URL. Answers are cached for a minute.")
    @ApiResponse(
            responseCode = "200",
            description = "The picture (url and id are null when the contact has none)",
            content = @Content(schema = @Schema(implementation = ProfilePictureResponse.class)))
    @ErrorCodes({
        ErrorCode.INSTANCE_REQUIRED,
        ErrorCode.INSTANCE_NOT_FOUND,
        ErrorCode.NOT_CONNECTED,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.ENGINE_TIMEOUT
    })
    @GetMapping("/profile-picture")
    CompletableFuture<ProfilePictureResponse> profilePicture(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @RequestParam(required = false) @Size(max = 30) String phone,
            @RequestParam(required = false) @Size(max = 100) String jid,
            @RequestParam(defaultValue = "true") boolean preview,
            @RequestParam(name = "existing_id", required = false) @Size(max = 100) String existingId) {
        return pictures.profilePicture(principal, instanceName, phone, jid, preview, existingId)
                .thenApply(result -> new ProfilePictureResponse(
                        true,
                        result.jid(),
                        result.url(),
                        result.id(),
                        result.preview() ? "preview" : "image",
                        result.changed()));
    }

    @Operation(
            operationId = "getContact",
            summary = "Get a contact",
            description = "One contact; the ETag header carries its version for If-Match. " + MERGED_IDS)
    @ApiResponse(
            responseCode = "200",
            description =
                    "The contact (for a merged-away id, the contact it was merged into); the ETag header carries its version",
            headers = {
                @Header(name = "ETag", ref = ETAG_HEADER),
                @Header(name = "Content-Location", description = MERGED_LOCATION, schema = @Schema(type = "string"))
            })
    @ErrorCodes(ErrorCode.CONTACT_NOT_FOUND)
    @GetMapping("/{id}")
    ResponseEntity<ContactResponse> get(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable long id) {
        return withEtag(id, contacts.get(principal, id), HttpStatus.OK);
    }

    @Operation(
            operationId = "saveContact",
            summary = "Save a number or chat as a CRM contact",
            description = "Give `phone` or `jid`. Answers 201 when the contact is new, 200 when it existed.")
    @ApiResponse(
            responseCode = "200",
            description = "The contact existed",
            headers = @Header(name = "ETag", ref = ETAG_HEADER),
            content = @Content(schema = @Schema(implementation = ContactResponse.class)))
    @ApiResponse(
            responseCode = "201",
            description = "Created",
            headers = @Header(name = "ETag", ref = ETAG_HEADER),
            content = @Content(schema = @Schema(implementation = ContactResponse.class)))
    @ErrorCodes({ErrorCode.INSTANCE_REQUIRED, ErrorCode.INSTANCE_NOT_FOUND})
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ContactResponse> save(
            @AuthenticationPrincipal TenantPrincipal principal, @Valid @RequestBody SaveContactRequest request) {
        var saved = edits.save(principal, request.instanceName(), request.phone(), request.jid(), request.name());
        return withEtag(saved.contact(), saved.created() ? HttpStatus.CREATED : HttpStatus.OK);
    }

    @Operation(
            operationId = "updateContactCrmFields",
            summary = "Update CRM fields",
            description =
                    "A JSON merge patch of assignedUserId, assignedDepartmentId, funnelStageId, notes, customData (merged key by key; null removes a key) and showTimeInStage. A changed funnelStageId records funnelStageChangedAt. Send If-Match with the ETag to avoid lost updates. "
                            + MERGED_IDS
                            + " An If-Match with the merged-away contact's ETag answers 412, since the merge changed the contact.")
    @ApiResponse(
            responseCode = "200",
            description =
                    "Updated; the ETag header carries the new version (for a merged-away id, the contact it was merged into was updated)",
            headers = {
                @Header(name = "ETag", ref = ETAG_HEADER),
                @Header(name = "Content-Location", description = MERGED_LOCATION, schema = @Schema(type = "string"))
            },
            content = @Content(schema = @Schema(implementation = ContactResponse.class)))
    @ErrorCodes({ErrorCode.CONTACT_NOT_FOUND, ErrorCode.PRECONDITION_FAILED})
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true,
            description =
                    "A JSON merge patch (RFC 7386), sent as `application/merge-patch+json`. `application/json` is accepted too, for clients that cannot set the media type; the contract names only the standard one because generated clients send the first media type listed.",
            content = @Content(mediaType = MERGE_PATCH, schema = @Schema(implementation = ContactCrmPatch.class)))
    @PatchMapping(
            path = "/{id}",
            consumes = {MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<ContactResponse> patch(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable long id,
            @Parameter(
                            in = ParameterIn.HEADER,
                            name = HttpHeaders.IF_MATCH,
                            description =
                                    "The ETag of the version this change is based on, exactly as received: quoted, e.g. `\"3\"` (several may be given, comma-separated; `*` matches any). A stale version gets 412; without If-Match the last write wins.",
                            schema = @Schema(type = "string", pattern = IF_MATCH_PATTERN, example = "\"3\""))
                    @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                    String ifMatch,
            @RequestBody JsonNode body) {
        return withEtag(id, edits.patch(principal, id, crmPatch(body), ifMatch(ifMatch)), HttpStatus.OK);
    }

    @Operation(
            operationId = "resolveIdentifiers",
            summary = "Resolve identifiers",
            description =
                    "Resolves 1 to 160 phone numbers, phone-number JIDs or LID JIDs, in order, to the best-known identity (LIDs mapped to phone-number JIDs where known). With groupJid only members of that group are candidates.")
    @ErrorCodes({ErrorCode.INSTANCE_REQUIRED, ErrorCode.INSTANCE_NOT_FOUND})
    @PostMapping(path = "/resolve", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResolveResponse resolve(
            @AuthenticationPrincipal TenantPrincipal principal, @Valid @RequestBody ResolveRequest request) {
        var result = resolver.resolve(principal, request.instanceName(), request.identifiers(), request.groupJid());
        return new ResolveResponse(
                true, result.results().size(), ContactView.InstanceSummary.of(result.instance()), result.results());
    }

    private static ResponseEntity<ContactResponse> withEtag(Contact contact, HttpStatus status) {
        return ResponseEntity.status(status)
                .eTag(contact.etag())
                .body(new ContactResponse(true, ContactView.of(contact)));
    }

    /**
     * Normalizes If-Match to quoted entity tags. A bare version ({@code If-Match: 3}) is what people type, so it
     * counts as {@code "3"}; anything else that is not an entity tag list is a 400, never a misleading 412.
     */
    static String ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        List<String> tags = new ArrayList<>();
        for (String candidate : header.split(",", -1)) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.matches("(W/)?\"[^\"]*\"")) {
                tags.add(tag);
            } else if (tag.matches("\\d{1,18}")) {
                tags.add("\"" + tag + "\"");
            } else {
                throw new ApiException(
                        ErrorCode.VALIDATION_ERROR,
                        "validation failed",
                        List.of(new ErrorEnvelope.FieldError(
                                "If-Match",
                                "must be the contact's ETag, e.g. \"3\" (its version, quoted or bare), or *")));
            }
        }
        return String.join(", ", tags);
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
    static CrmEdits.CrmPatch crmPatch(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(ErrorCode.MALFORMED_REQUEST, "The body must be a JSON object of CRM fields");
        }
        List<ErrorEnvelope.FieldError> errors = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (String field : body.propertyNames()) {
            if (!PATCHABLE.contains(field)) {
                errors.add(new ErrorEnvelope.FieldError(
                        field,
                        "is not a CRM field; allowed: "
                                + String.join(", ", PATCHABLE.stream().sorted().toList())));
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
                errors.add(new ErrorEnvelope.FieldError("notes", "must be a string of at most 10000 characters"));
            } else {
                notes = notesNode.asString();
            }
        }
        JsonNode customData = body.get("customData");
        if (customData != null && !customData.isNull() && !customData.isObject()) {
            errors.add(new ErrorEnvelope.FieldError("customData", "must be a JSON object (merge patch) or null"));
        } else if (customData != null && customData.toString().length() > 65_536) {
            errors.add(new ErrorEnvelope.FieldError("customData", "must be at most 64 KiB"));
        }
        Boolean showTime = null;
        JsonNode showNode = body.get("showTimeInStage");
        if (showNode != null) {
            if (!showNode.isBoolean()) {
                errors.add(new ErrorEnvelope.FieldError("showTimeInStage", "must be true or false"));
            } else {
                showTime = showNode.asBoolean();
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "validation failed", errors);
        }
        return new CrmEdits.CrmPatch(present, user, department, stage, notes, customData, showTime);
    }

    private static String idField(JsonNode body, String field, List<ErrorEnvelope.FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if ((node.isString() && !node.asString().isBlank() && node.asString().length() <= 100)
                || node.isIntegralNumber()) {
            return node.asString();
        }
        errors.add(new ErrorEnvelope.FieldError(
                field, "must be a non-empty string (at most 100 characters), an integer or null"));
        return null;
    }
}
