package io.contactmirror.changelog;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One committed entry of an instance's change log. */
public record ChangeRecord(
        long instanceId,
        long seq,
        ChangeType type,
        @Nullable Long contactId,
        JsonNode data,
        @Nullable String actor,
        Instant occurredAt) {}
