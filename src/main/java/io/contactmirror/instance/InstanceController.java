package io.contactmirror.instance;

import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceStatus;
import io.contactmirror.connection.SandboxEvent;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.contactmirror.web.PageResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Create, list, pair, watch, disconnect, log out and delete instances. */
@RestController
@Tag(name = "Instances", description = "Paired WhatsApp devices: create, pair, watch, disconnect, log out, delete")
@RequestMapping(path = "/api/v1/instances", produces = MediaType.APPLICATION_JSON_VALUE)
class InstanceController {

    static final String NAME_PATTERN = "^[a-z0-9_]{3,40}$";

    private final InstanceService instanceService;
    private final ContactCounts contactCounts;

    InstanceController(InstanceService instanceService, ContactCounts contactCounts) {
        this.instanceService = instanceService;
        this.contactCounts = contactCounts;
    }

    private InstanceView view(Instance instance) {
        return InstanceView.of(
                instance, contactCounts.contactsOf(List.of(instance.id())).getOrDefault(instance.id(), 0L));
    }

    private PageResult<InstanceView> views(PageResult<Instance> instances) {
        Map<Long, Long> counts = contactCounts.contactsOf(
                instances.items().stream().map(Instance::id).toList());
        return instances.map(instance -> InstanceView.of(instance, counts.getOrDefault(instance.id(), 0L)));
    }

    record CreateInstanceRequest(
            @NotBlank @Pattern(regexp = NAME_PATTERN, message = "must be 3-40 characters of a-z, 0-9 and _")
            String instanceName,

            @Size(max = 200) @Nullable String displayName,
            @NotNull EngineType engine,
            @Valid @Nullable SandboxRequest sandbox) {}

    record SandboxRequest(
            @Min(0) @Nullable Long seed,
            @Min(0) @Max(1_000_000) @Nullable Integer contacts,
            @Min(0) @Max(10_000) @Nullable Integer groups) {}

    record PairingCodeRequest(
            @NotBlank
            @Pattern(regexp = "^\\+?[0-9][0-9 \\-]{6,20}$", message = "must be a phone number with country code")
            String phone) {}

    record InstanceResponse(boolean success, InstanceView instance) {}

    record InstanceListResponse(
            boolean success,
            int count,
            long total,
            int page,
            int limit,
            boolean hasMore,
            List<InstanceView> instances) {}

    record QrCodeResponse(boolean success, String qr, Instant expiresAt, InstanceStatus status) {}

    record PairingCodeResponse(boolean success, String pairingCode, String instanceName, InstanceStatus status) {}

    @Operation(
            operationId = "createInstance",
            summary = "Create an instance",
            description =
                    "Creates an instance for the engine `whatsapp` (a real phone) or `sandbox` (a simulated account for integration tests). `instanceName` is unique per tenant; the answer carries the globally unique `apiInstanceName`, accepted wherever an instanceName is.")
    @ApiResponse(responseCode = "201", description = "Created")
    @ErrorCodes({ErrorCode.FORBIDDEN, ErrorCode.CONFLICT})
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    InstanceResponse create(
            @AuthenticationPrincipal TenantPrincipal principal, @Valid @RequestBody CreateInstanceRequest request) {
        SandboxRequest sandbox = request.sandbox();
        var options = sandbox == null
                ? null
                : new InstanceService.SandboxOptions(sandbox.seed(), sandbox.contacts(), sandbox.groups());
        return new InstanceResponse(
                true,
                view(instanceService.create(
                        principal, request.instanceName(), request.displayName(), request.engine(), options)));
    }

    @Operation(
            operationId = "listInstances",
            summary = "List instances",
            description = "The tenant's instances by name; a token bound to an instance sees only that one.")
    @GetMapping
    InstanceListResponse list(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(defaultValue = "1") @Min(1) @Max(PageResult.MAX_PAGE) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(PageResult.MAX_LIMIT) int limit) {
        PageResult<InstanceView> result = views(instanceService.list(principal, page, limit));
        return new InstanceListResponse(
                true, result.count(), result.total(), page, limit, result.hasMore(), result.items());
    }

    @Operation(
            operationId = "getInstance",
            summary = "Get an instance",
            description =
                    "Connection status, paired account, last disconnect reason and contact-sync state (`syncState` IDLE/SYNCING/SYNCED, `contactsSyncedAt`, `contactsCount`).")
    @ErrorCodes(ErrorCode.INSTANCE_NOT_FOUND)
    @GetMapping("/{instanceName}")
    InstanceResponse get(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable String instanceName) {
        return new InstanceResponse(true, view(instanceService.get(principal, instanceName)));
    }

    @Operation(
            operationId = "deleteInstance",
            summary = "Delete an instance",
            description =
                    "Logs the device out, stops its connection and removes the instance with all mirrored contacts and chats. The instance disappears from the API at once; the work finishes in the background.")
    @ApiResponse(responseCode = "202", description = "Accepted: deletion under way")
    @ErrorCodes(ErrorCode.INSTANCE_NOT_FOUND)
    @DeleteMapping("/{instanceName}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    InstanceResponse delete(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable String instanceName) {
        Instance instance = instanceService.get(principal, instanceName);
        instanceService.delete(principal, instanceName);
        return new InstanceResponse(true, view(instance));
    }

    @Operation(
            operationId = "connectInstance",
            summary = "Connect (start pairing)",
            description =
                    "Asks for a live session. An unpaired instance moves to PAIRING and offers a QR code (GET …/qr); a paired one reconnects.")
    @ApiResponse(responseCode = "202", description = "Accepted")
    @ErrorCodes(ErrorCode.INSTANCE_NOT_FOUND)
    @PostMapping("/{instanceName}/connect")
    @ResponseStatus(HttpStatus.ACCEPTED)
    InstanceResponse connect(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable String instanceName) {
        return new InstanceResponse(true, view(instanceService.connect(principal, instanceName)));
    }

    @Operation(
            operationId = "disconnectInstance",
            summary = "Disconnect",
            description = "Closes the live session but keeps the pairing; connect resumes without a QR code.")
    @ApiResponse(responseCode = "202", description = "Accepted")
    @ErrorCodes(ErrorCode.INSTANCE_NOT_FOUND)
    @PostMapping("/{instanceName}/disconnect")
    @ResponseStatus(HttpStatus.ACCEPTED)
    InstanceResponse disconnect(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable String instanceName) {
        return new InstanceResponse(true, view(instanceService.disconnect(principal, instanceName)));
    }

    @Operation(
            operationId = "logoutInstance",
            summary = "Log out",
            description =
                    "Unlinks the device from the WhatsApp account and forgets its credentials; mirrored contacts stay.")
    @ApiResponse(responseCode = "202", description = "Accepted")
    @ErrorCodes(ErrorCode.INSTANCE_NOT_FOUND)
    @PostMapping("/{instanceName}/logout")
    @ResponseStatus(HttpStatus.ACCEPTED)
    InstanceResponse logout(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable String instanceName) {
        return new InstanceResponse(true, view(instanceService.logout(principal, instanceName)));
    }

    @Operation(
            operationId = "getInstanceQrCode",
            summary = "Current QR code",
            description =
                    "The QR payload to scan while the instance is PAIRING (render it yourself, or get the image from `GET …/qr.png`).")
    @ApiResponse(
            responseCode = "200",
            description = "The QR code",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QrCodeResponse.class)))
    @ErrorCodes({ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.QR_NOT_AVAILABLE})
    @GetMapping(path = "/{instanceName}/qr", produces = MediaType.APPLICATION_JSON_VALUE)
    QrCodeResponse qrCode(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable String instanceName) {
        Instance instance = instanceService.qrCode(principal, instanceName);
        return new QrCodeResponse(true, instance.qrPayload(), instance.qrExpiresAt(), instance.status());
    }

    /** The same image as {@code …/qr.png}, for clients that negotiate it on the JSON route (kept for them). */
    @io.swagger.v3.oas.annotations.Hidden
    @GetMapping(path = "/{instanceName}/qr", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> qrCodeNegotiatedImage(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable String instanceName,
            @RequestParam(defaultValue = "400") @Min(100) @Max(1000) int size) {
        return qrCodeImage(principal, instanceName, size);
    }

    @Operation(
            operationId = "getInstanceQrCodeImage",
            summary = "Current QR code as a PNG",
            description =
                    "The QR code to scan while the instance is PAIRING, as a PNG image of `size` × `size` pixels. Errors are JSON.")
    @ApiResponse(
            responseCode = "200",
            description = "The QR code image",
            content =
                    @Content(
                            mediaType = MediaType.IMAGE_PNG_VALUE,
                            schema = @Schema(type = "string", format = "binary")))
    @ErrorCodes({ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.QR_NOT_AVAILABLE})
    @GetMapping(path = "/{instanceName}/qr.png", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> qrCodeImage(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable String instanceName,
            @Parameter(description = "Width and height in pixels")
                    @RequestParam(defaultValue = "400")
                    @Min(100)
                    @Max(1000)
                    int size) {
        Instance instance = instanceService.qrCode(principal, instanceName);
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .header("Cache-Control", "no-store")
                .body(QrCodeImage.png(instance.qrPayload(), size));
    }

    @Operation(
            operationId = "sandboxScan",
            summary = "Sandbox: scan the QR code",
            description =
                    "Simulates the phone scanning the QR code (or entering the pairing code) of a sandbox instance; it then logs in and syncs its contacts. Real WhatsApp instances have no sandbox (404).")
    @ApiResponse(responseCode = "202", description = "Accepted")
    @ErrorCodes({ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.NOT_FOUND})
    @PostMapping("/{instanceName}/sandbox/scan")
    @ResponseStatus(HttpStatus.ACCEPTED)
    InstanceResponse sandboxScan(
            @AuthenticationPrincipal TenantPrincipal principal, @PathVariable String instanceName) {
        instanceService.sandboxScan(principal, instanceName);
        return new InstanceResponse(true, view(instanceService.get(principal, instanceName)));
    }

    @Operation(
            operationId = "sandboxInjectEvent",
            summary = "Sandbox: inject an event",
            description =
                    "Queues a change on a sandbox account — `contact` (names of a contact), `mapping` (a LID's phone number), `chat` (a new message) — or a `disconnect` (`CONNECTION_LOST` reconnects, `LOGGED_OUT`/`BANNED` stop). Delivered as a live update after the initial sync. Real WhatsApp instances have no sandbox (404).")
    @ApiResponse(responseCode = "202", description = "Accepted")
    @ErrorCodes({ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.NOT_FOUND})
    @PostMapping(path = "/{instanceName}/sandbox/events", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    InstanceResponse sandboxInject(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable String instanceName,
            @Valid @RequestBody SandboxEvent event) {
        instanceService.sandboxInject(principal, instanceName, event);
        return new InstanceResponse(true, view(instanceService.get(principal, instanceName)));
    }

    @Operation(
            operationId = "requestPairingCode",
            summary = "Pair by phone number",
            description =
                    "Starts pairing by phone number and answers with the 8-character code to type on the phone (WhatsApp → Linked devices → Link with phone number).")
    @ApiResponse(
            responseCode = "200",
            description = "The pairing code",
            content = @Content(schema = @Schema(implementation = PairingCodeResponse.class)))
    @ErrorCodes({ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.ALREADY_PAIRED, ErrorCode.SERVICE_UNAVAILABLE})
    @PostMapping(path = "/{instanceName}/pairing-code", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<PairingCodeResponse> pairingCode(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable String instanceName,
            @Valid @RequestBody PairingCodeRequest request) {
        String digits = request.phone().replaceAll("[^0-9]", "");
        return instanceService
                .requestPairingCode(principal, instanceName, digits)
                .thenApply(instance -> new PairingCodeResponse(
                        true, instance.pairingCode(), instance.instanceName(), instance.status()));
    }
}
