package io.contactmirror.contact;

import java.util.Collection;
import java.util.List;
import org.springframework.data.repository.Repository;

/** The chat entities, read beside a page of contacts (the mirror writes them in SQL). */
interface Chats extends Repository<Chat, Long> {

    /** The chats of one page's contacts. Index: chats (instance_id, jid) unique. */
    List<Chat> findByInstanceIdAndJidIn(long instanceId, Collection<String> jids);
}
