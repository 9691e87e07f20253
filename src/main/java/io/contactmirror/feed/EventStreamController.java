package io.contactmirror.feed;

import io.contactmirror.changelog.ChangeType;
import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorBodies;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Size;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The live stream: an instance's changes as Server-Sent Events, resumable over the catch-up API's cursors. */
@RestController
@Tag(name = "Change feed")
class EventStreamController {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final String TYPES =
            "contact.created, contact.updated, contact.merged, contact.deleted, instance.status_changed, instance.sync_completed";

    private final InstanceResolver instances;
    private final FeedPositions positions;
    private final EventStreams streams;
    private final ErrorBodies errorBodies;

    EventStreamController(
            InstanceResolver instances, FeedPositions positions, EventStreams streams, ErrorBodies errorBodies) {
        this.instances = instances;
        this.positions = positions;
        this.streams = streams;
        this.errorBodies = errorBodies;
    }

    /** A token that holds all the streams it may; answered with 429 and a Retry-After. */
    static final class TooManyStreams extends RuntimeException {
        TooManyStreams(int max) {
            super("This token already holds " + max + " open event streams (the most it may); close one first");
        }
    }

    @Operation(
            operationId = "streamEvents",
            summary = "Live stream of changes (Server-Sent Events)",
            description =
                    "The same changes as the catch-up API, pushed as they commit, as `text/event-stream`: each event has `id` (a cursor, the same as the catch-up API's `nextCursor`), `event` (the change type) and `data` (one `ChangeEvent` as JSON). One stream follows one instance (`instanceName`, or the token's instance). Resume after a disconnect with `Last-Event-ID` (browsers' EventSource send it by themselves) or the `after` query parameter; without either the stream starts with the next change. `types` limits the stream to some change types. An idle stream sends a comment line (`: heartbeat`) every 15 s so proxies keep it open; a stream ends after an hour (reconnect with Last-Event-ID) and when the server shuts down. A token may hold 5 streams at once (429 beyond). An expired position gets 410 `CURSOR_EXPIRED`.")
    @ApiResponse(
            responseCode = "200",
            description =
                    "The stream; it stays open. Each event is `id: <cursor>`, `event: <type>`, `data: <ChangeEvent JSON>`.",
            content =
                    @Content(
                            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            schema =
                                    @Schema(
                                            type = "string",
                                            description = "Server-Sent Events; each event's data is a ChangeEvent."),
                            examples =
                                    @ExampleObject(
                                            value =
                                                    "id:Y20xOjQyOjEwMTc\nevent:contact.updated\ndata:{\"id\":\"chg_42_1017\",\"sequence\":1017,\"type\":\"contact.updated\",\"instanceName\":\"jakarta_store\",\"contactId\":981,\"actor\":null,\"occurredAt\":\"2026-11-28T10:15:30.120Z\",\"data\":{\"changes\":{\"pushName\":{\"old\":\"Ana\",\"new\":\"Ana Maria\"}}}}\n\n:heartbeat\n\n")))
    @ErrorCodes({ErrorCode.INSTANCE_REQUIRED, ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.CURSOR_EXPIRED})
    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(required = false) @Size(max = 100) String instanceName,
            @Parameter(
                            description = "Change types to send, comma-separated (default: all): " + TYPES + ".",
                            schema =
                                    @Schema(
                                            type = "string",
                                            maxLength = 300,
                                            example = "contact.created,contact.updated"))
                    @RequestParam(required = false)
                    @Size(max = 300)
                    @Nullable
                    String types,
            @Parameter(
                            description = ChangeFeedController.CURSOR_DESCRIPTION
                                    + " `Last-Event-ID` wins when both are sent.",
                            schema = @Schema(type = "string", maxLength = 80, example = "Y20xOjQyOjEwMTc"))
                    @RequestParam(required = false)
                    @Size(max = 80)
                    @Nullable
                    String after,
            @Parameter(
                            in = ParameterIn.HEADER,
                            name = LAST_EVENT_ID,
                            description =
                                    "The id of the last event received (what EventSource sends when it reconnects).",
                            schema = @Schema(type = "string", maxLength = 80))
                    @RequestHeader(name = LAST_EVENT_ID, required = false)
                    @Nullable
                    String lastEventId) {
        Instance instance = instances.resolve(principal, instanceName);
        Set<ChangeType> filter = types(types);
        boolean fromHeader = lastEventId != null && !lastEventId.isBlank();
        long position = positions.resolve(
                instance.id(), fromHeader ? lastEventId : after, fromHeader ? LAST_EVENT_ID : "after", false);
        UUID token = principal.tokenId() != null ? principal.tokenId() : principal.userId();
        if (!streams.acquire(token)) {
            throw new TooManyStreams(streams.maxStreamsPerToken());
        }
        return streams.open(token, instance, position, filter);
    }

    static Set<ChangeType> types(@Nullable String types) {
        if (types == null || types.isBlank()) {
            return EnumSet.noneOf(ChangeType.class);
        }
        Set<ChangeType> filter = EnumSet.noneOf(ChangeType.class);
        for (String name : types.split(",")) {
            String trimmed = name.strip();
            if (!trimmed.isEmpty()) {
                filter.add(ChangeType.fromWireName(trimmed)
                        .orElseThrow(() ->
                                ApiException.invalid("types", "must be change types separated by commas: " + TYPES)));
            }
        }
        return filter;
    }

    @ExceptionHandler(TooManyStreams.class)
    ResponseEntity<Object> tooManyStreams(TooManyStreams ex, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return errorBodies.response(request, ErrorCode.TOO_MANY_REQUESTS, ex.getMessage(), null, headers);
    }
}
