package io.contactmirror.connection.cobalt;

import io.contactmirror.support.Heap;
import it.auties.whatsapp.api.ClientType;
import it.auties.whatsapp.controller.Keys;
import it.auties.whatsapp.controller.KeysSpec;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.controller.StoreSpec;
import it.auties.whatsapp.model.chat.Chat;
import it.auties.whatsapp.model.chat.ChatBuilder;
import it.auties.whatsapp.model.contact.ContactBuilder;
import it.auties.whatsapp.model.jid.Jid;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Heap of what a restored Cobalt session holds for a 10,000-contact account: its keys, its store (contacts) and its
 * chats, encoded as {@link PostgresSessionSerializer} stores them and decoded again, built offline from Cobalt's own
 * model builders. Excludes the socket and Cobalt's fixed per-JVM cost. Run with
 * {@code ./mvnw -Pbenchmark test -Dtest=CobaltSessionHeapBenchmark}.
 */
class CobaltSessionHeapBenchmark {

    private static final int CONTACTS = Integer.getInteger("benchmark.cobalt-contacts", 10_000);

    @Test
    void heapOfARestoredSession() throws Exception {
        UUID session = UUID.randomUUID();
        Keys keys = Keys.of(session, null, List.of(), ClientType.WEB);
        Store store = Store.of(session, null, List.of(), ClientType.WEB);
        List<Chat> chats = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            Jid jid = Jid.of(String.format(Locale.ROOT, "55119%08d@s.whatsapp.net", i));
            store.addContact(new ContactBuilder()
                    .jid(jid)
                    .chosenName("Cliente " + i)
                    .fullName("Cliente Número " + i)
                    .shortName("Cliente")
                    .build());
            if (i % 10 < 7) {
                chats.add(new ChatBuilder()
                        .jid(jid)
                        .name("Cliente Número " + i)
                        .unreadMessagesCount(i % 3)
                        .build());
            }
        }
        byte[] keyBytes = KeysSpec.encode(keys);
        byte[] storeBytes = StoreSpec.encode(store);
        byte[] chatBytes = PostgresSessionSerializer.encodeChats(chats);
        keys = null;
        store = null;
        chats = null;

        long before = Heap.settled();
        Keys restoredKeys = KeysSpec.decode(PostgresSessionSerializer.stream(keyBytes));
        Store restored = StoreSpec.decode(PostgresSessionSerializer.stream(storeBytes));
        List<Chat> restoredChats = PostgresSessionSerializer.decodeChats(chatBytes);
        restoredChats.forEach(restored::addChat);
        long after = Heap.settled();
        System.out.printf(
                Locale.ROOT,
                "heap: a restored Cobalt session of %,d contacts and %,d chats holds %,.1f MiB (keys %,d B, store %,d B, chats %,d B encoded)%n",
                restored.contacts().size(),
                restored.chats().size(),
                (after - before) / 1024.0 / 1024.0,
                keyBytes.length,
                storeBytes.length,
                chatBytes.length);
        Reference.reachabilityFence(restoredKeys);
        Reference.reachabilityFence(restored);
    }
}
