package io.contactmirror.connection;

import java.util.List;

/** What a live session learnt about an instance's account, published for the contact mirror. */
public sealed interface InstanceDataEvent {

    long instanceId();

    record ContactsReceived(long instanceId, List<ContactRecord> contacts) implements InstanceDataEvent {}

    record ChatsReceived(long instanceId, List<ChatRecord> chats) implements InstanceDataEvent {}

    record GroupParticipants(long instanceId, String groupJid, List<String> participantJids) implements InstanceDataEvent {}

    /** The initial sync delivered everything; published before the instance is marked SYNCED. */
    record SyncCompleted(long instanceId) implements InstanceDataEvent {}

    record IdentitiesMapped(long instanceId, List<IdentityMapping> mappings) implements InstanceDataEvent {}
}
