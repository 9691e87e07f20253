package io.contactmirror.contact;

import java.util.List;
import org.springframework.data.jpa.repository.NativeQuery;
import org.springframework.data.repository.Repository;

/** The chat entities, read beside a page of contacts (the mirror writes them in SQL). */
interface Chats extends Repository<Chat, Long> {

    /**
     * The chats of one page's contacts. The JIDs go as one array parameter: Hibernate binds a collection parameter
     * only after a failed attempt to read it as a single value, an exception per call. Index: chats (instance_id, jid)
     * unique.
     */
    @NativeQuery("SELECT * FROM chats WHERE instance_id = :instanceId AND jid = ANY(:jids)")
    List<Chat> findByInstanceIdAndJidIn(long instanceId, String[] jids);
}
