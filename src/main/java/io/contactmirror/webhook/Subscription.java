package io.contactmirror.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A tenant's webhook subscription as stored (its secret stays encrypted and out of this value). */
record Subscription(
        UUID id,
        UUID tenantId,
        String url,
        List<String> eventTypes,
        @Nullable Long instanceId,
        @Nullable String instanceName,
        @Nullable String description,
        boolean enabled,
        @Nullable String disabledReason,
        @Nullable Instant disabledAt,
        Instant createdAt,
        Instant updatedAt) {}
