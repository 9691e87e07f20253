package io.contactmirror.contact;

import jakarta.persistence.EntityManager;
import java.util.List;
import org.hibernate.query.Query;

/**
 * JPQL rather than a native query, which resolves its result mapping from the result set's metadata on every call.
 * Written by hand for the binding: Spring Data binds a collection with {@code setParameter}, and Hibernate 7 first
 * tries to read it as a single String, throwing and catching an exception per call; {@code setParameterList} binds it
 * as the list it is.
 */
class ChatsOfContactsImpl implements ChatsOfContacts {

    private final EntityManager entityManager;

    ChatsOfContactsImpl(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public List<Chat> findByInstanceIdAndJidIn(long instanceId, List<String> jids) {
        @SuppressWarnings("unchecked") // unwrap cannot name Query<Chat>
        Query<Chat> query = entityManager
                .createQuery("SELECT c FROM Chat c WHERE c.instanceId = :instanceId AND c.jid IN :jids", Chat.class)
                .unwrap(Query.class);
        return query.setParameter("instanceId", instanceId)
                .setParameterList("jids", jids)
                .getResultList();
    }
}
