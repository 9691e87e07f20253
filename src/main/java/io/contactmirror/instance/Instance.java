package io.contactmirror.instance;

import io.contactmirror.connection.DesiredState;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceStatus;
import io.contactmirror.connection.SyncState;
import java.time.Instant;
import java.util.UUID;

/** One paired (or to be paired) WhatsApp device of a tenant, as stored. */
public record Instance(
        long id,
        UUID tenantId,
        String instanceName,
        String displayName,
        String apiInstanceName,
        EngineType engine,
        InstanceStatus status,
        DesiredState desiredState,
        String pairingPhone,
        String qrPayload,
        Instant qrExpiresAt,
        String pairingCode,
        String phoneJid,
        String lidJid,
        String pushName,
        Instant lastConnectedAt,
        String lastDisconnectReason,
        String lastDisconnectDetail,
        Instant lastDisconnectAt,
        int reconnectAttempts,
        SyncState syncState,
        Instant contactsSyncedAt,
        Instant createdAt,
        Instant updatedAt) {

    /** The name internal systems use; identical to {@link #apiInstanceName()} (the seed APIs expose both). */
    public String internalName() {
        return apiInstanceName;
    }
}
