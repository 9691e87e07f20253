package io.contactmirror.contact;

import io.contactmirror.instance.Instance;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A contact as the API shows it: the fields of the Wachat seed API, plus the WhatsApp names, LID and version. */
record ContactView(
        long id,
        String name,
        @Nullable String phone,
        String remoteJid,
        @Nullable String lid,
        boolean isGroup,
        @Nullable String pushName,
        @Nullable String fullName,
        @Nullable String firstName,
        @Nullable String businessName,
        @Nullable String profilePicUrl,
        @Nullable String profilePictureUrl,
        @Nullable ChatView chat,
        @Nullable String assignedUserId,
        @Nullable String assignedDepartmentId,
        @Nullable String funnelStageId,
        @Nullable Instant funnelStageChangedAt,
        @Nullable String notes,
        JsonNode customData,
        boolean showTimeInStage,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    record ChatView(
            long id,
            @Nullable String name,
            @Nullable String pushName,
            @Nullable String lastMessageText,
            @Nullable Instant lastMessageTimestamp,
            int unreadCount) {}

    record InstanceSummary(
            long id, String instanceName, String displayName, String apiInstanceName, String internalName) {
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
        Chat chat = contact.chat();
        return new ContactView(
                contact.id(),
                contact.displayName() != null
                        ? contact.displayName()
                        : contact.phone() != null ? contact.phone() : contact.jid(),
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
