package io.contactmirror.connection;

import java.util.List;
import java.util.Map;

/** What a live session learnt about an instance's account, published for the contact mirror. */
public sealed interface InstanceDataEvent {

    long instanceId();

    /** The lease of the session that learnt it; the mirror refuses the event once that lease was taken over. */
    Fence fence();

    record ContactsReceived(long instanceId, Fence fence, List<ContactRecord> contacts) implements InstanceDataEvent {}

    record ChatsReceived(long instanceId, Fence fence, List<ChatRecord> chats) implements InstanceDataEvent {}

    /** The members of some groups (group JID → user JIDs), each replacing what was known of its group. */
    record GroupParticipants(long instanceId, Fence fence, Map<String, List<String>> participantsByGroup)
            implements InstanceDataEvent {}

    /** The initial sync delivered everything; published before the instance is marked SYNCED. */
    record SyncCompleted(long instanceId, Fence fence) implements InstanceDataEvent {}

    record IdentitiesMapped(long instanceId, Fence fence, List<IdentityMapping> mappings)
            implements InstanceDataEvent {}
}
