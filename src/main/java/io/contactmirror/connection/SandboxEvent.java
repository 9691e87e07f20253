package io.contactmirror.connection;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Something a customer makes happen on a sandbox account, as JSON {@code {"type": "contact" | "mapping" | "chat" | "disconnect", …}}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SandboxEvent.ContactChange.class, name = "contact"),
    @JsonSubTypes.Type(value = SandboxEvent.Mapping.class, name = "mapping"),
    @JsonSubTypes.Type(value = SandboxEvent.ChatUpdate.class, name = "chat"),
    @JsonSubTypes.Type(value = SandboxEvent.Disconnect.class, name = "disconnect")
})
@Schema(
        name = "SandboxEvent",
        discriminatorProperty = "type",
        discriminatorMapping = {
            @DiscriminatorMapping(value = "contact", schema = SandboxEvent.ContactChange.class),
            @DiscriminatorMapping(value = "mapping", schema = SandboxEvent.Mapping.class),
            @DiscriminatorMapping(value = "chat", schema = SandboxEvent.ChatUpdate.class),
            @DiscriminatorMapping(value = "disconnect", schema = SandboxEvent.Disconnect.class)
        })
public sealed interface SandboxEvent {

    /** A contact appears or changes; null names stay as they are. */
    @Schema(name = "SandboxContactEvent")
    record ContactChange(
            @NotBlank @Size(max = 100) String jid,
            @Size(max = 100) @Nullable String lid,
            @Size(max = 300) @Nullable String pushName,
            @Size(max = 300) @Nullable String fullName,
            @Size(max = 300) @Nullable String firstName,
            @Size(max = 300) @Nullable String businessName)
            implements SandboxEvent {}

    /** WhatsApp reveals which phone number a LID belongs to. */
    @Schema(name = "SandboxMappingEvent")
    record Mapping(
            @NotBlank @Size(max = 100) String lid,
            @NotBlank @Size(max = 100) String phone) implements SandboxEvent {}

    /** A message arrives in a chat. */
    @Schema(name = "SandboxChatEvent")
    record ChatUpdate(
            @NotBlank @Size(max = 100) String jid,
            @Size(max = 300) @Nullable String name,
            @Size(max = 4000) @Nullable String lastMessageText,
            @PositiveOrZero @Nullable Integer unreadCount)
            implements SandboxEvent {}

    /** The connection drops: {@code CONNECTION_LOST} (reconnects), {@code LOGGED_OUT} or {@code BANNED} (stops). */
    @Schema(name = "SandboxDisconnectEvent")
    record Disconnect(@NotNull DisconnectReason reason) implements SandboxEvent {}
}
