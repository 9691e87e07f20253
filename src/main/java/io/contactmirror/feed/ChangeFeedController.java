package io.contactmirror.feed;

import io.contactmirror.changelog.ChangeEvent;
import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The catch-up API: an instance's changes in order after a cursor, page by page. */
@RestController
@Tag(name = "Change feed", description = "What changed, in order: catch-up pages and a live stream over one change log")
class ChangeFeedController {

    private static final String CHANGES_EXAMPLE = """
            {
              "success": true,
              "changes": [
                {
                  "id": "chg_42_1017",
                  "sequence": 1017,
                  "type": "contact.updated",
                  "instanceName": "jakarta_store",
                  "contactId": 981,
                  "actor": null,
                  "occurredAt": "2026-11-28T10:15:30.120Z",
                  "data": {
                    "changes": {
                      "pushName": {
                        "old": "Ana",
                        "new": "Ana Maria"
                      }
                    }
                  }
                },
                {
                  "id": "chg_42_1018",
                  "sequence": 1018,
                  "type": "contact.created",
                  "instanceName": "jakarta_store",
                  "contactId": 982,
                  "actor": null,
                  "occurredAt": "2026-11-28T10:15:31.004Z",
                  "data": {
                    "contact": {
                      "id": 982,
                      "jid": "5511987654321@s.whatsapp.net",
                      "lid": null,
                      "phone": "5511987654321",
                      "name": "Bruno",
                      "pushName": "Bruno",
                      "fullName": null,
                      "firstName": null,
                      "businessName": null,
                      "isGroup": false
                    }
                  }
                }
              ],
              "nextCursor": "Y20xOjQyOjEwMTg",
              "hasMore": false
            }
            """;

    static final int MAX_LIMIT = 1000;
    static final String CURSOR_DESCRIPTION =
            "Where to continue: a `nextCursor` (or a live stream's event id) exactly as received, or `now` for the newest change. Cursors are opaque and belong to one instance.";

    private final InstanceResolver instances;
    private final ChangeLog changeLog;
    private final FeedPositions positions;

    ChangeFeedController(InstanceResolver instances, ChangeLog changeLog, FeedPositions positions) {
        this.instances = instances;
        this.changeLog = changeLog;
        this.positions = positions;
    }

    @Schema(name = "ChangePage", description = "One page of an instance's change log.")
    record ChangePage(
            boolean success,

            @Schema(description = "Changes in order (ascending `sequence`), without gaps.")
            List<ChangeEvent> changes,

            @Schema(
                    description =
                            "Pass as `after` to read on; always present, also on an empty page, so it can be stored and used later (until the retention removes what follows it).",
                    example = "Y20xOjQyOjEwMTc")
            String nextCursor,

            @Schema(
                    description =
                            "True when more changes are available right now; when false, poll again later with `nextCursor` (or open the live stream).")
            boolean hasMore) {}

    @Operation(
            operationId = "listContactChanges",
            summary = "Catch up on changes",
            description =
                    "Changes of one instance (contacts created, updated with old and new values, merged, deleted; instance status changes and completed syncs) in the order they were committed, after `after`. Without `after` the page starts at the oldest change still kept; `after=now` starts at the newest, so a client can take a cursor first, then read the contact list, then follow the changes. Pages are gap-free: every change appears exactly once, in order. Store `nextCursor` and resume from it whenever you come back (within the retention, 30 days by default); an expired cursor gets 410 `CURSOR_EXPIRED`, and the client reads the list again.")
    @ApiResponse(
            responseCode = "200",
            description = "A page of changes",
            content =
                    @Content(
                            schema = @Schema(implementation = ChangePage.class),
                            examples = @ExampleObject(value = CHANGES_EXAMPLE)))
    @ErrorCodes({ErrorCode.INSTANCE_REQUIRED, ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.CURSOR_EXPIRED})
    @GetMapping(path = "/api/v1/contacts/changes", produces = MediaType.APPLICATION_JSON_VALUE)
    ChangePage changes(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @Parameter(
                            description = CURSOR_DESCRIPTION,
                            schema = @Schema(type = "string", maxLength = 80, example = "Y20xOjQyOjEwMTc"))
                    @RequestParam(required = false)
                    @Size(max = 80)
                    @Nullable
                    String after,
            @RequestParam(defaultValue = "100") @Min(1) @Max(MAX_LIMIT) int limit) {
        Instance instance = instances.resolve(principal, instanceName);
        long position = positions.resolve(instance.id(), after, "after", true);
        ChangeLog.Page page = changeLog.read(instance.id(), position, limit + 1);
        if (page.expired(position)) {
            throw FeedPositions.expired(page.prunedThrough());
        }
        boolean hasMore = page.records().size() > limit;
        List<ChangeEvent> changes = page.records().stream()
                .limit(limit)
                .map(record -> ChangeEvent.of(record, instance.instanceName()))
                .toList();
        long next = changes.isEmpty() ? position : changes.getLast().sequence();
        return new ChangePage(true, changes, new Cursor(instance.id(), next).encode(), hasMore);
    }
}
