package io.contactmirror.contact;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** The contact entities: CRM edits load, lock and version them here. */
interface Contacts extends JpaRepository<Contact, Long> {

    /** Locked until the transaction ends, so a merge cannot fold the row away under an edit. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT c FROM Contact c WHERE c.id = :id")
    Optional<Contact> findLockedById(long id);

    List<Contact> findByIdIn(Collection<Long> ids);
}
