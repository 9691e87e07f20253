package io.contactmirror.contact;

import org.springframework.data.repository.Repository;

/** The chat entities, read beside a page of contacts (the mirror writes them in SQL). */
interface Chats extends Repository<Chat, Long>, ChatsOfContacts {}
