package io.contactmirror.contact;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A stored contact with its chat (if any), as the API reads it. */
public record Contact(
        long id,
        long instanceId,
        String jid,
        String lid,
        String phone,
        String pushName,
        String fullName,
        String firstName,
        String businessName,
        String displayName,
        String sortName,
        boolean group,
        String profilePictureUrl,
        String profilePictureId,
        String assignedUserId,
        String assignedDepartmentId,
        String funnelStageId,
        Instant funnelStageChangedAt,
        String notes,
        JsonNode customData,
        boolean showTimeInStage,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Chat chat) {

    public record Chat(long id, String name, String lastMessageText, Instant lastMessageAt, Integer unreadCount) {}

    public String etag() {
        return "\"" + version + "\"";
    }
}
