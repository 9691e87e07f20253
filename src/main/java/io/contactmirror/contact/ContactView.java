package io.contactmirror.contact;

import io.contactmirror.instance.Instance;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A contact as the API shows it: the fields of the Wachat seed API, plus the WhatsApp names, LID and version. */
record ContactView(
        long id,
        String name,
        @Schema(types = {"string", "null"}) String phone,
        String remoteJid,
        @Schema(types = {"string", "null"}) String lid,
        boolean isGroup,
        @Schema(types = {"string", "null"}) String pushName,
        @Schema(types = {"string", "null"}) String fullName,
        @Schema(types = {"string", "null"}) String firstName,
        @Schema(types = {"string", "null"}) String businessName,
        @Schema(types = {"string", "null"}) String profilePicUrl,
        @Schema(types = {"string", "null"}) String profilePictureUrl,
        ChatView chat,
        @Schema(types = {"string", "null"}) String assignedUserId,
        @Schema(types = {"string", "null"}) String assignedDepartmentId,
        @Schema(types = {"string", "null"}) String funnelStageId,
        @Schema(types = {"string", "null"}, format = "date-time") Instant funnelStageChangedAt,
        @Schema(types = {"string", "null"}) String notes,
        JsonNode customData,
        boolean showTimeInStage,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    record ChatView(
            long id,
            @Schema(types = {"string", "null"}) String name,
            @Schema(types = {"string", "null"}) String pushName,
            @Schema(types = {"string", "null"}) String lastMessageText,
            @Schema(types = {"string", "null"}, format = "date-time") Instant lastMessageTimestamp,
            int unreadCount) {}

    record InstanceSummary(long id, String instanceName, String displayName, String apiInstanceName, String internalName) {
        static InstanceSummary of(Instance instance) {
            return new InstanceSummary(
                    instance.id(),
                    instance.instanceName(),
                    instance.displayName(),
                    instance.apiInstanceName(),
                    instance.internalName());
        }
    }

    static ContactView of(Contact contact) {
        Contact.Chat chat = contact.chat();
        return new ContactView(
                contact.id(),
                contact.displayName() != null ? contact.displayName() : contact.phone() != null ? contact.phone() : contact.jid(),
                contact.phone(),
                contact.jid(),
                contact.lid(),
                contact.group(),
                contact.pushName(),
                contact.fullName(),
                contact.firstName(),
                contact.businessName(),
                contact.profilePictureUrl(),
                contact.profilePictureUrl(),
                chat == null
                        ? null
                        : new ChatView(
                                chat.id(),
                                chat.name() != null ? chat.name() : contact.displayName(),
                                contact.pushName(),
                                chat.lastMessageText(),
                                chat.lastMessageAt(),
                                chat.unreadCount() == null ? 0 : chat.unreadCount()),
                contact.assignedUserId(),
                contact.assignedDepartmentId(),
                contact.funnelStageId(),
                contact.funnelStageChangedAt(),
                contact.notes(),
                contact.customData(),
                contact.showTimeInStage(),
                contact.version(),
                contact.createdAt(),
                contact.updatedAt());
    }
}
