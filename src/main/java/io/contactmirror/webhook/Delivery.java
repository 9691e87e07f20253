package io.contactmirror.webhook;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One change on its way to one subscription, with the outcome of its attempts so far. */
record Delivery(
        long id,
        UUID subscriptionId,
        String eventId,
        String eventType,
        long sequence,
        String instanceName,
        @Nullable Long contactId,
        DeliveryStatus status,
        int attempts,
        @Nullable Integer lastStatusCode,
        @Nullable String lastError,
        @Nullable Instant nextAttemptAt,
        @Nullable Instant lastAttemptAt,
        @Nullable Instant deliveredAt,
        Instant createdAt) {}
