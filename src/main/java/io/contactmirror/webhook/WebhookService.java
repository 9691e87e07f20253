package io.contactmirror.webhook;

import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.SecretsAtRest;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorEnvelope;
import io.contactmirror.web.PageResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's webhook subscriptions and their delivery logs. An instance-bound token manages only subscriptions
 * filtered to its instance; the others do not exist for it.
 */
@Service
class WebhookService {

    private final SubscriptionRepository subscriptions;
    private final DeliveryRepository deliveries;
    private final InstanceResolver instances;
    private final TargetGuard targets;
    private final SecretsAtRest secrets;

    WebhookService(
            SubscriptionRepository subscriptions,
            DeliveryRepository deliveries,
            InstanceResolver instances,
            TargetGuard targets,
            SecretsAtRest secrets) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.instances = instances;
        this.targets = targets;
        this.secrets = secrets;
    }

    /** What a subscription is created or changed to; null fields of a change keep their value. */
    record Settings(
            @Nullable String url,
            @Nullable List<String> eventTypes,
            @Nullable String instanceName,
            @Nullable String description,
            @Nullable Boolean enabled) {}

    /** A subscription together with its signing secret, which the API shows only here. */
    record WithSecret(Subscription subscription, String secret) {}

    @Transactional
    WithSecret create(TenantPrincipal principal, Settings settings) {
        if (!principal.has(Scope.CONTACTS_READ)) {
            // A subscription sends the tenant's contacts out: only a token that may read them can make one.
            throw new ApiException(ErrorCode.FORBIDDEN, "Creating a webhook needs the contacts:read scope as well");
        }
        String url = checkedUrl(settings.url());
        List<String> types = checkedTypes(settings.eventTypes());
        Long instanceId = principal.boundInstanceId();
        if (settings.instanceName() != null && !settings.instanceName().isBlank()) {
            instanceId = instances.resolve(principal, settings.instanceName()).id();
        }
        UUID id = UUID.randomUUID();
        String secret = WebhookSignature.newSecret();
        subscriptions.insert(
                id,
                principal.tenantId(),
                url,
                types,
                instanceId,
                settings.description(),
                settings.enabled() == null || settings.enabled(),
                encrypt(id, secret));
        return new WithSecret(get(principal, id), secret);
    }

    Subscription get(TenantPrincipal principal, UUID id) {
        return subscriptions
                .find(principal.tenantId(), principal.boundInstanceId(), id)
                .orElseThrow(WebhookService::notFound);
    }

    PageResult<Subscription> list(TenantPrincipal principal, int page, int limit) {
        return new PageResult<>(
                subscriptions.page(
                        principal.tenantId(), principal.boundInstanceId(), PageResult.offset(page, limit), limit),
                subscriptions.count(principal.tenantId(), principal.boundInstanceId()),
                page,
                limit);
    }

    @Transactional
    Subscription update(TenantPrincipal principal, UUID id, Settings change) {
        Subscription current = get(principal, id);
        if (change.instanceName() != null) {
            throw ApiException.invalid("instanceName", "cannot be changed; create a new webhook for another instance");
        }
        subscriptions.update(
                id,
                change.url() == null ? current.url() : checkedUrl(change.url()),
                change.eventTypes() == null ? current.eventTypes() : checkedTypes(change.eventTypes()),
                change.description() == null ? current.description() : change.description());
        if (Boolean.TRUE.equals(change.enabled())) {
            subscriptions.enable(id);
        } else if (Boolean.FALSE.equals(change.enabled())) {
            subscriptions.disable(id, null);
        }
        return get(principal, id);
    }

    @Transactional
    WithSecret rotateSecret(TenantPrincipal principal, UUID id) {
        get(principal, id);
        String secret = WebhookSignature.newSecret();
        subscriptions.replaceSecret(id, encrypt(id, secret));
        return new WithSecret(get(principal, id), secret);
    }

    @Transactional
    void delete(TenantPrincipal principal, UUID id) {
        get(principal, id);
        subscriptions.delete(id);
    }

    PageResult<Delivery> deliveries(
            TenantPrincipal principal, UUID id, @Nullable DeliveryStatus status, int page, int limit) {
        get(principal, id);
        return new PageResult<>(
                deliveries.page(id, status, PageResult.offset(page, limit), limit),
                deliveries.count(id, status),
                page,
                limit);
    }

    @Transactional
    Delivery replay(TenantPrincipal principal, UUID id, long deliveryId) {
        get(principal, id);
        if (!deliveries.replay(id, deliveryId)) {
            throw new ApiException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, "Webhook delivery not found");
        }
        return deliveries.find(id, deliveryId).orElseThrow();
    }

    /** Associated data of a subscription's encrypted secret: the blob decrypts only for its own subscription. */
    static String secretContext(UUID subscriptionId) {
        return "webhook-secret:" + subscriptionId;
    }

    private SubscriptionRepository.EncryptedSecret encrypt(UUID id, String secret) {
        return new SubscriptionRepository.EncryptedSecret(
                secrets.currentKeyId(), secrets.encrypt(secret.getBytes(StandardCharsets.UTF_8), secretContext(id)));
    }

    private String checkedUrl(@Nullable String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.invalid("url", "is required");
        }
        String trimmed = url.strip();
        if (trimmed.length() > 2000) {
            throw ApiException.invalid("url", "must be at most 2000 characters");
        }
        targets.problemWith(trimmed).ifPresent(problem -> {
            throw ApiException.invalid("url", problem);
        });
        return trimmed;
    }

    private static List<String> checkedTypes(@Nullable List<String> types) {
        if (types == null) {
            return List.of();
        }
        List<ErrorEnvelope.FieldError> errors = new ArrayList<>();
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            if (type == null || ChangeType.fromWireName(type).isEmpty()) {
                errors.add(new ErrorEnvelope.FieldError("eventTypes[" + i + "]", "must be one of " + wireNames()));
            } else {
                distinct.add(type);
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "validation failed", errors);
        }
        return List.copyOf(distinct);
    }

    static List<String> wireNames() {
        return java.util.Arrays.stream(ChangeType.values())
                .map(ChangeType::wireName)
                .toList();
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.WEBHOOK_NOT_FOUND, "Webhook not found");
    }
}
