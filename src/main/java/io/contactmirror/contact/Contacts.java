package io.contactmirror.contact;

import org.springframework.data.jpa.repository.JpaRepository;

/** The contact entities: CRM edits load, lock and version them here. */
interface Contacts extends JpaRepository<Contact, Long> {}
