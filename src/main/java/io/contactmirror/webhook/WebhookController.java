package io.contactmirror.webhook;

import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorCodes;
import io.contactmirror.web.PageResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Webhook subscriptions: create (secret shown once), list, get, change, rotate the secret, delete; delivery log, replay. */
@RestController
@Tag(
        name = "Webhooks",
        description = "Signed change notifications (Standard Webhooks) pushed to your URL, with a delivery log")
@RequestMapping(path = "/api/v1/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
class WebhookController {

    private final WebhookService service;

    WebhookController(WebhookService service) {
        this.service = service;
    }

    record CreateWebhookRequest(
            @Schema(
                    description = "Where deliveries are POSTed: an https URL on the public internet.",
                    example = "https://crm.example.com/hooks/contacts")
            @NotBlank
            @Size(max = 2000)
            String url,

            @Schema(
                    description =
                            "Change types to deliver (`contact.created`, `contact.updated`, `contact.merged`, `contact.deleted`, `instance.status_changed`, `instance.sync_completed`); empty or absent: all.")
            @Nullable
            @Size(max = 20)
            List<String> eventTypes,

            @Schema(
                    description =
                            "Only this instance's changes; absent: every instance of the tenant (an instance-bound token always gets its own).",
                    example = "sales_br")
            @Nullable
            @Size(max = 100)
            String instanceName,

            @Schema(description = "Your note about the subscription.", example = "CRM sync") @Nullable @Size(max = 200)
            String description,

            @Schema(description = "Deliver right away (default true).") @Nullable
            Boolean enabled) {}

    record UpdateWebhookRequest(
            @Schema(description = "A new target URL.") @Nullable @Size(max = 2000)
            String url,

            @Schema(description = "New change types to deliver; empty: all.") @Nullable @Size(max = 20)
            List<String> eventTypes,

            @Schema(description = "A new note.") @Nullable @Size(max = 200)
            String description,

            @Schema(
                    description =
                            "false pauses deliveries; true resumes them, including deliveries given up on (nothing that happened meanwhile is lost).")
            @Nullable
            Boolean enabled) {}

    @Schema(name = "Webhook")
    record WebhookView(
            UUID id,
            String url,

            @Schema(description = "Delivered change types; empty: all.")
            List<String> eventTypes,

            @Schema(description = "The instance it is limited to; null: every instance of the tenant.") @Nullable
            String instanceName,

            @Nullable String description,
            boolean enabled,

            @Schema(
                    description =
                            "Why deliveries stopped, when the service disabled the subscription (a delivery kept failing past the retry horizon).")
            @Nullable
            String disabledReason,

            @Nullable Instant disabledAt,
            Instant createdAt,
            Instant updatedAt) {
        static WebhookView of(Subscription s) {
            return new WebhookView(
                    s.id(),
                    s.url(),
                    s.eventTypes(),
                    s.instanceName(),
                    s.description(),
                    s.enabled(),
                    s.disabledReason(),
                    s.disabledAt(),
                    s.createdAt(),
                    s.updatedAt());
        }
    }

    @Schema(
            name = "WebhookWithSecret",
            description = "A webhook and its signing secret; the secret is shown only in this answer.")
    record WebhookWithSecretView(
            UUID id,
            String url,
            List<String> eventTypes,
            @Nullable String instanceName,
            @Nullable String description,
            boolean enabled,
            Instant createdAt,

            @Schema(
                    description =
                            "Signing secret (`whsec_` + base64 key): verify `webhook-signature` with it. Shown once.",
                    example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            String secret) {
        static WebhookWithSecretView of(WebhookService.WithSecret created) {
            Subscription s = created.subscription();
            return new WebhookWithSecretView(
                    s.id(),
                    s.url(),
                    s.eventTypes(),
                    s.instanceName(),
                    s.description(),
                    s.enabled(),
                    s.createdAt(),
                    created.secret());
        }
    }

    @Schema(name = "WebhookDelivery")
    record DeliveryView(
            long id,

            @Schema(description = "The change's id, also sent as `webhook-id`.", example = "chg_42_1017")
            String eventId,

            @Schema(example = "contact.updated") String eventType,
            long sequence,
            String instanceName,
            @Nullable Long contactId,

            @Schema(
                    description =
                            "PENDING (waiting for its next attempt), DELIVERED, or FAILED (given up; the subscription was disabled).")
            DeliveryStatus status,

            int attempts,

            @Schema(description = "HTTP status of the last attempt; null when no answer came.") @Nullable
            Integer lastStatusCode,

            @Schema(description = "Why the last attempt failed (with the start of the response body).") @Nullable
            String lastError,

            @Schema(description = "When the next attempt is due (PENDING only).") @Nullable
            Instant nextAttemptAt,

            @Nullable Instant lastAttemptAt,
            @Nullable Instant deliveredAt,
            Instant createdAt) {
        static DeliveryView of(Delivery d) {
            return new DeliveryView(
                    d.id(),
                    d.eventId(),
                    d.eventType(),
                    d.sequence(),
                    d.instanceName(),
                    d.contactId(),
                    d.status(),
                    d.attempts(),
                    d.lastStatusCode(),
                    d.lastError(),
                    d.nextAttemptAt(),
                    d.lastAttemptAt(),
                    d.deliveredAt(),
                    d.createdAt());
        }
    }

    record WebhookResponse(boolean success, WebhookView webhook) {}

    record WebhookWithSecretResponse(boolean success, WebhookWithSecretView webhook) {}

    record WebhookListResponse(
            boolean success, int count, long total, int page, int limit, boolean hasMore, List<WebhookView> webhooks) {}

    record DeliveryResponse(boolean success, DeliveryView delivery) {}

    record DeliveryListResponse(
            boolean success,
            int count,
            long total,
            int page,
            int limit,
            boolean hasMore,
            List<DeliveryView> deliveries) {}

    @Operation(
            operationId = "createWebhook",
            summary = "Create a webhook",
            description =
                    "Subscribes a URL to the change log: every matching change is POSTed to it as a signed `ChangeEvent` (see the `webhooks` section and the README). The answer carries the signing secret, shown only here. The URL must be https and must not point at a loopback, private, link-local or metadata address. Needs contacts:write and contacts:read.")
    @ApiResponse(responseCode = "201", description = "Created")
    @ErrorCodes({ErrorCode.VALIDATION_ERROR, ErrorCode.INSTANCE_NOT_FOUND})
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    WebhookWithSecretResponse create(
            @AuthenticationPrincipal TenantPrincipal principal, @Valid @RequestBody CreateWebhookRequest request) {
        var created = service.create(
                principal,
                new WebhookService.Settings(
                        request.url(),
                        request.eventTypes(),
                        request.instanceName(),
                        request.description(),
                        request.enabled()));
        return new WebhookWithSecretResponse(true, WebhookWithSecretView.of(created));
    }

    @Operation(
            operationId = "listWebhooks",
            summary = "List webhooks",
            description =
                    "The tenant's webhook subscriptions, oldest first; an instance-bound token sees those of its instance.")
    @GetMapping
    WebhookListResponse list(
            @AuthenticationPrincipal TenantPrincipal principal,
            @RequestParam(defaultValue = "1") @Min(1) @Max(PageResult.MAX_PAGE) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(PageResult.MAX_LIMIT) int limit) {
        PageResult<WebhookView> result = service.list(principal, page, limit).map(WebhookView::of);
        return new WebhookListResponse(
                true, result.count(), result.total(), page, limit, result.hasMore(), result.items());
    }

    @Operation(
            operationId = "getWebhook",
            summary = "Get a webhook",
            description = "A subscription, whether it is enabled, and why the service disabled it if it did.")
    @ErrorCodes(ErrorCode.WEBHOOK_NOT_FOUND)
    @GetMapping("/{webhookId}")
    WebhookResponse get(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable UUID webhookId) {
        return new WebhookResponse(true, WebhookView.of(service.get(principal, webhookId)));
    }

    @Operation(
            operationId = "updateWebhook",
            summary = "Change a webhook",
            description =
                    "Changes the URL, event types or note, or pauses (`enabled: false`) and resumes (`enabled: true`) deliveries. Resuming sends what waited meanwhile, in order, including deliveries that had been given up on.")
    @ErrorCodes({ErrorCode.WEBHOOK_NOT_FOUND, ErrorCode.VALIDATION_ERROR})
    @PatchMapping(path = "/{webhookId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    WebhookResponse update(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable UUID webhookId,
            @Valid @RequestBody UpdateWebhookRequest request) {
        var change = new WebhookService.Settings(
                request.url(), request.eventTypes(), null, request.description(), request.enabled());
        return new WebhookResponse(true, WebhookView.of(service.update(principal, webhookId, change)));
    }

    @Operation(
            operationId = "rotateWebhookSecret",
            summary = "Rotate a webhook's secret",
            description =
                    "Replaces the signing secret; deliveries from now on are signed with the new one, which this answer shows once.")
    @ErrorCodes(ErrorCode.WEBHOOK_NOT_FOUND)
    @PostMapping("/{webhookId}/rotate-secret")
    WebhookWithSecretResponse rotateSecret(
            @AuthenticationPrincipal TenantPrincipal principal, @PathVariable UUID webhookId) {
        return new WebhookWithSecretResponse(
                true, WebhookWithSecretView.of(service.rotateSecret(principal, webhookId)));
    }

    @Operation(
            operationId = "deleteWebhook",
            summary = "Delete a webhook",
            description = "Removes the subscription with its delivery log; nothing more is sent.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ErrorCodes(ErrorCode.WEBHOOK_NOT_FOUND)
    @DeleteMapping("/{webhookId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal TenantPrincipal principal, @PathVariable UUID webhookId) {
        service.delete(principal, webhookId);
    }

    @Operation(
            operationId = "listWebhookDeliveries",
            summary = "A webhook's delivery log",
            description =
                    "Deliveries newest first, with status, attempts, last response code and error, and the next attempt.")
    @ErrorCodes(ErrorCode.WEBHOOK_NOT_FOUND)
    @GetMapping("/{webhookId}/deliveries")
    DeliveryListResponse deliveries(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable UUID webhookId,
            @Parameter(description = "Only deliveries in this state") @RequestParam(required = false) @Nullable
                    DeliveryStatus status,
            @RequestParam(defaultValue = "1") @Min(1) @Max(PageResult.MAX_PAGE) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(PageResult.MAX_LIMIT) int limit) {
        PageResult<DeliveryView> result =
                service.deliveries(principal, webhookId, status, page, limit).map(DeliveryView::of);
        return new DeliveryListResponse(
                true, result.count(), result.total(), page, limit, result.hasMore(), result.items());
    }

    @Operation(
            operationId = "replayWebhookDelivery",
            summary = "Replay a delivery",
            description =
                    "Sends a delivery again (failed or not), with the same `webhook-id` and body, as soon as the subscription is enabled; it gets a fresh retry horizon.")
    @ApiResponse(responseCode = "202", description = "Accepted: queued")
    @ErrorCodes({ErrorCode.WEBHOOK_NOT_FOUND, ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND})
    @PostMapping("/{webhookId}/deliveries/{deliveryId}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeliveryResponse replay(
            @AuthenticationPrincipal TenantPrincipal principal,
            @PathVariable UUID webhookId,
            @PathVariable long deliveryId) {
        return new DeliveryResponse(true, DeliveryView.of(service.replay(principal, webhookId, deliveryId)));
    }
}
