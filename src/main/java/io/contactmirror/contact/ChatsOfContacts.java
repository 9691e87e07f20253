package io.contactmirror.contact;

import java.util.List;

/** The part of {@link Chats} written by hand (see {@link ChatsOfContactsImpl}). */
interface ChatsOfContacts {

    /** The chats of these contacts' JIDs. Index: chats (instance_id, jid) unique. */
    List<Chat> findByInstanceIdAndJidIn(long instanceId, List<String> jids);
}
