package io.contactmirror.contact;

import jakarta.persistence.EntityManager;
import java.util.List;
import org.springframework.stereotype.Repository;

/** The chat entities, read beside a page of contacts (the mirror writes them in SQL). */
@Repository
class Chats {

    private final EntityManager entityManager;

    Chats(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * The chats of one page's contacts, in JPQL: translated once and cached, where a native query resolves its result
     * mapping from the result set's metadata on every call. The JIDs are bound with {@code setParameterList}: bound
     * as one value, Hibernate first tries to read the collection as a single String and fails with an exception per
     * call. Index: chats (instance_id, jid) unique.
     */
    List<Chat> findByInstanceIdAndJidIn(long instanceId, List<String> jids) {
        return entityManager
                .createQuery("SELECT c FROM Chat c WHERE c.instanceId = :instanceId AND c.jid IN :jids", Chat.class)
                .unwrap(org.hibernate.query.Query.class)
                .setParameter("instanceId", instanceId)
                .setParameterList("jids", jids)
                .getResultList();
    }
}
