package io.contactmirror.changelog;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A change as clients receive it: in the catch-up API, as a webhook payload and on the live stream. {@code id} is
 * stable across redeliveries (use it for idempotency) and unique across instances.
 */
@Schema(name = "ChangeEvent", description = "One entry of an instance's change log.")
public record ChangeEvent(
        @Schema(description = "Stable, unique id of this change (idempotency key).", example = "chg_42_1017")
        String id,

        @Schema(description = "Position in the instance's change log; increases by one per change.", example = "1017")
        long sequence,

        @Schema(
                description = "What happened.",
                allowableValues = {
                    "contact.created",
                    "contact.updated",
                    "contact.merged",
                    "contact.deleted",
                    "instance.status_changed",
                    "instance.sync_completed"
                },
                example = "contact.updated")
        String type,

        @Schema(description = "The instance the change belongs to.", example = "sales-br")
        String instanceName,

        @Schema(description = "The contact the change is about; null for instance events.", example = "981") @Nullable
        Long contactId,

        @Schema(
                description = "The user whose API call made the change; null when the mirror made it.",
                example = "null")
        @Nullable
        String actor,

        @Schema(description = "When the change was stored.", example = "2026-11-28T10:15:30.120Z")
        Instant occurredAt,

        @Schema(
                description = "Type-specific details; for contact.updated the changed fields with old and new values.",
                example = "{\"changes\":{\"pushName\":{\"old\":\"Ana\",\"new\":\"Ana Maria\"}}}")
        JsonNode data) {

    public static ChangeEvent of(ChangeRecord record, String instanceName) {
        return new ChangeEvent(
                "chg_" + record.instanceId() + "_" + record.seq(),
                record.seq(),
                record.type().wireName(),
                instanceName,
                record.contactId(),
                record.actor(),
                record.occurredAt(),
                record.data());
    }
}
