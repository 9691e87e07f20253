package io.contactmirror.contact;

import io.contactmirror.instance.Instance;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams a whole (filtered) contact list as NDJSON or CSV. It writes on the request's own (virtual) thread rather
 * than asynchronously, so no async timeout ends a large export; a stalled client is cut off by the connection's
 * write timeout.
 */
@RestController
@Tag(name = "Contacts")
class ContactExportController {

    private static final Logger log = LoggerFactory.getLogger(ContactExportController.class);
    static final String NDJSON = "application/x-ndjson";
    static final String CSV = "text/csv";

    private final ContactLookup contacts;
    private final ContactExport export;

    ContactExportController(ContactLookup contacts, ContactExport export) {
        this.contacts = contacts;
        this.export = export;
    }

    @Operation(
            operationId = "exportContacts",
            summary = "Export contacts (NDJSON or CSV, streamed)",
            description =
                    "Every contact of one instance that matches `q`, `includeGroups` and `updatedSince` (the same filters as the list; `updatedSince` keeps contacts whose `updatedAt` is at or after it), in list order (name, then id), streamed without paging. `format=ndjson` (default) writes one contact per line as JSON with exactly the list's fields; `format=csv` writes a header row and one row per contact (RFC 4180: CRLF, fields with a comma, quote or line break quoted; UTF-8), the chat's fields as `chat.<field>`, `customData` as JSON text, null as an empty field and an empty text as `\"\"`. To follow changes after an export without a gap, take a change cursor first (`GET /api/v1/contacts/changes?after=now`), then export, then read the changes from that cursor.")
    @ApiResponse(
            responseCode = "200",
            description = "The contacts, streamed",
            content = {
                @Content(
                        mediaType = NDJSON,
                        schema =
                                @Schema(
                                        type = "string",
                                        format = "binary",
                                        description =
                                                "One JSON object per line, each a ContactView (a download: generated clients return it as a file or blob)."),
                        examples =
                                @ExampleObject(
                                        value =
                                                "{\"id\":101,\"name\":\"John Customer\",\"phone\":\"628123456789\",\"remoteJid\":\"628123456789@s.whatsapp.net\",\"lid\":null,\"isGroup\":false,\"pushName\":\"John\",\"fullName\":\"John Customer\",\"firstName\":\"John\",\"businessName\":null,\"profilePicUrl\":null,\"profilePictureUrl\":null,\"chat\":null,\"assignedUserId\":null,\"assignedDepartmentId\":null,\"funnelStageId\":\"won\",\"funnelStageChangedAt\":\"2026-11-28T10:00:00Z\",\"notes\":null,\"customData\":{\"tier\":\"gold\"},\"showTimeInStage\":false,\"version\":1,\"createdAt\":\"2026-11-20T08:00:00Z\",\"updatedAt\":\"2026-11-28T10:00:00Z\"}\n{\"id\":102,\"name\":\"Siti\",\"phone\":\"6281234500000\",\"remoteJid\":\"6281234500000@s.whatsapp.net\",\"lid\":null,\"isGroup\":false,\"pushName\":\"Siti\",\"fullName\":null,\"firstName\":null,\"businessName\":null,\"profilePicUrl\":null,\"profilePictureUrl\":null,\"chat\":{\"id\":7,\"name\":\"Siti\",\"pushName\":\"Siti\",\"lastMessageText\":\"Halo\",\"lastMessageTimestamp\":\"2026-11-27T09:00:00Z\",\"unreadCount\":2},\"assignedUserId\":null,\"assignedDepartmentId\":null,\"funnelStageId\":null,\"funnelStageChangedAt\":null,\"notes\":null,\"customData\":{},\"showTimeInStage\":false,\"version\":0,\"createdAt\":\"2026-11-20T08:00:00Z\",\"updatedAt\":\"2026-11-27T09:00:00Z\"}\n")),
                @Content(
                        mediaType = CSV,
                        schema =
                                @Schema(
                                        type = "string",
                                        format = "binary",
                                        description =
                                                "RFC 4180 CSV with a header row, UTF-8 (a download: generated clients return it as a file or blob)."),
                        examples =
                                @ExampleObject(
                                        value =
                                                "id,name,phone,remoteJid,lid,isGroup,pushName,fullName,firstName,businessName,profilePicUrl,profilePictureUrl,chat.id,chat.name,chat.pushName,chat.lastMessageText,chat.lastMessageTimestamp,chat.unreadCount,assignedUserId,assignedDepartmentId,funnelStageId,funnelStageChangedAt,notes,customData,showTimeInStage,version,createdAt,updatedAt\r\n101,John Customer,628123456789,628123456789@s.whatsapp.net,,false,John,John Customer,John,,,,,,,,,,,,won,2026-11-28T10:00:00Z,,\"{\"\"tier\"\":\"\"gold\"\"}\",false,1,2026-11-20T08:00:00Z,2026-11-28T10:00:00Z\r\n"))
            })
    @ErrorCodes({ErrorCode.INSTANCE_REQUIRED, ErrorCode.INSTANCE_NOT_FOUND})
    @GetMapping("/api/v1/contacts/export")
    void export(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @Parameter(
                            description = "`ndjson` (default) or `csv`.",
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"ndjson", "csv"},
                                            defaultValue = "ndjson"))
                    @RequestParam(defaultValue = "ndjson")
                    String format,
            @RequestParam(required = false) @Size(max = 200) @Nullable String q,
            @RequestParam(defaultValue = "false") boolean includeGroups,
            @Parameter(
                            description =
                                    "Only contacts whose updatedAt is at or after this time (ISO 8601 with offset, e.g. 2026-11-28T10:00:00Z).")
                    @RequestParam(required = false)
                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                    @Nullable
                    OffsetDateTime updatedSince,
            HttpServletResponse response)
            throws IOException {
        boolean csv = switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "ndjson" -> false;
            case "csv" -> true;
            default -> throw ApiException.invalid("format", "must be ndjson or csv");
        };
        Instance instance = contacts.instance(principal, instanceName);
        var filter = new ContactExport.Filter(
                instance.id(),
                ContactSearch.likePattern(q),
                includeGroups,
                updatedSince == null ? null : updatedSince.toInstant());
        response.setContentType(csv ? CSV + ";charset=UTF-8;header=present" : NDJSON + ";charset=UTF-8");
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                        .filename("contacts-" + instance.instanceName() + (csv ? ".csv" : ".ndjson"))
                        .build()
                        .toString());
        long started = System.nanoTime();
        OutputStream out = response.getOutputStream();
        long count = export.write(filter, csv ? export.csv(out) : export.ndjson(out));
        out.flush();
        log.info(
                "Exported {} contacts as {} in {} ms",
                count,
                csv ? "CSV" : "NDJSON",
                (System.nanoTime() - started) / 1_000_000);
    }
}
