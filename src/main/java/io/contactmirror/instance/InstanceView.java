package io.contactmirror.instance;

import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceStatus;
import io.contactmirror.connection.SyncState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An instance as the API shows it. */
record InstanceView(
        long id,
        String instanceName,
        String displayName,
        String apiInstanceName,
        String internalName,
        EngineType engine,
        InstanceStatus status,
        SyncState syncState,
        @Nullable Instant contactsSyncedAt,
        long contactsCount,
        @Nullable String phoneJid,
        @Nullable String lidJid,
        @Nullable String pushName,
        @Nullable Instant lastConnectedAt,
        @Nullable String lastDisconnectReason,
        @Nullable String lastDisconnectDetail,
        @Nullable Instant lastDisconnectAt,
        int reconnectAttempts,
        Instant createdAt,
        Instant updatedAt) {

    static InstanceView of(Instance instance, long contactsCount) {
        return new InstanceView(
                instance.id(),
                instance.instanceName(),
                instance.displayName(),
                instance.apiInstanceName(),
                instance.internalName(),
                instance.engine(),
                instance.status(),
                instance.syncState(),
                instance.contactsSyncedAt(),
                contactsCount,
                instance.phoneJid(),
                instance.lidJid(),
                instance.pushName(),
                instance.lastConnectedAt(),
                instance.lastDisconnectReason(),
                instance.lastDisconnectDetail(),
                instance.lastDisconnectAt(),
                instance.reconnectAttempts(),
                instance.createdAt(),
                instance.updatedAt());
    }
}
