package io.contactmirror.connection.cobalt;

import it.auties.whatsapp.api.ClientType;
import it.auties.whatsapp.controller.Controller;
import it.auties.whatsapp.controller.ControllerSerializer;
import it.auties.whatsapp.controller.Keys;
import it.auties.whatsapp.controller.KeysSpec;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.controller.StoreSpec;
import it.auties.whatsapp.model.chat.Chat;
import it.auties.whatsapp.model.chat.ChatSpec;
import it.auties.whatsapp.model.mobile.PhoneNumber;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Cobalt's session persistence in PostgreSQL instead of files under the user's home: keys, store and chats per
 * instance, AES-GCM encrypted. Cobalt's store format leaves chats out, so they are kept beside it and put back in
 * {@link #attributeStore}. Cobalt reports logout and bans by deleting the session, which is passed on to the
 * session that owns it.
 */
final class PostgresSessionSerializer implements ControllerSerializer {

    private static final Logger log = LoggerFactory.getLogger(PostgresSessionSerializer.class);

    private final JdbcClient jdbc;
    private final SessionCrypto crypto;
    private final Map<UUID, Consumer<UUID>> deletionListeners = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService writer =
            java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().name("whatsapp-session-writer").daemon().factory());

    PostgresSessionSerializer(JdbcClient jdbc, SessionCrypto crypto) {
        this.jdbc = jdbc;
        this.crypto = crypto;
    }

    /** The session UUID of an instance, created on first use. */
    UUID sessionOf(long instanceId) {
        return jdbc.sql("""
                        INSERT INTO whatsapp_sessions (instance_id, session_uuid) VALUES (?, ?)
                        ON CONFLICT (instance_id) DO UPDATE SET instance_id = EXCLUDED.instance_id
                        RETURNING session_uuid""")
                .param(instanceId)
                .param(UUID.randomUUID())
                .query(UUID.class)
                .single();
    }

    boolean hasCredentials(UUID session) {
        return jdbc.sql("SELECT count(*) FROM whatsapp_sessions WHERE session_uuid = ? AND keys IS NOT NULL AND store IS NOT NULL")
                        .param(session)
                        .query(Long.class)
                        .single()
                > 0;
    }

    void onDeleted(UUID session, Consumer<UUID> listener) {
        deletionListeners.put(session, listener);
    }

    void forgetListener(UUID session) {
        deletionListeners.remove(session);
    }

    void forget(long instanceId) {
        jdbc.sql("DELETE FROM whatsapp_sessions WHERE instance_id = ?").param(instanceId).update();
    }

    @Override
    public LinkedList<UUID> listIds(ClientType type) {
        return new LinkedList<>(jdbc.sql("SELECT session_uuid FROM whatsapp_sessions WHERE keys IS NOT NULL")
                .query(UUID.class)
                .list());
    }

    @Override
    public LinkedList<PhoneNumber> listPhoneNumbers(ClientType type) {
        // Sessions are found by UUID only.
        return new LinkedList<>();
    }

    @Override
    public CompletableFuture<Void> serializeKeys(Keys keys, boolean async) {
        return write(keys.uuid(), "keys", () -> KeysSpec.encode(keys), async);
    }

    @Override
    public CompletableFuture<Void> serializeStore(Store store, boolean async) {
        CompletableFuture<Void> storeWritten = write(store.uuid(), "store", () -> StoreSpec.encode(store), async);
        CompletableFuture<Void> chatsWritten = write(store.uuid(), "chats", () -> encodeChats(store.chats()), async);
        return CompletableFuture.allOf(storeWritten, chatsWritten);
    }

    @Override
    public Optional<Keys> deserializeKeys(ClientType type, UUID id) {
        return read(id, "keys").map(bytes -> KeysSpec.decode(stream(bytes))).map(keys -> {
            keys.setSerializer(this);
            return keys;
        });
    }

    @Override
    public Optional<Keys> deserializeKeys(ClientType type, PhoneNumber phoneNumber) {
        return Optional.empty();
    }

    @Override
    public Optional<Keys> deserializeKeys(ClientType type, String alias) {
        return Optional.empty();
    }

    @Override
    public Optional<Store> deserializeStore(ClientType type, UUID id) {
        return read(id, "store").map(bytes -> StoreSpec.decode(stream(bytes))).map(store -> {
            store.setSerializer(this);
            return store;
        });
    }

    @Override
    public Optional<Store> deserializeStore(ClientType type, PhoneNumber phoneNumber) {
        return Optional.empty();
    }

    @Override
    public Optional<Store> deserializeStore(ClientType type, String alias) {
        return Optional.empty();
    }

    /** Puts the separately kept chats back; Cobalt calls this on load and again at login, so it only adds missing ones. */
    @Override
    public CompletableFuture<Void> attributeStore(Store store) {
        read(store.uuid(), "chats").map(PostgresSessionSerializer::decodeChats).orElse(List.of()).forEach(chat -> {
            if (store.findChatByJid(chat.jid()).isEmpty()) {
                store.addChatDirect(chat);
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void deleteSession(Controller<?> controller) {
        UUID session = controller.uuid();
        jdbc.sql("UPDATE whatsapp_sessions SET keys = NULL, store = NULL, chats = NULL, updated_at = now() WHERE session_uuid = ?")
                .param(session)
                .update();
        Consumer<UUID> listener = deletionListeners.get(session);
        if (listener != null) {
            listener.accept(session);
        }
    }

    /**
     * Encodes and encrypts on the caller's thread (a consistent snapshot), then writes; asynchronous writes go through
     * one writer thread so a newer snapshot is never overwritten by an older one.
     */
    private CompletableFuture<Void> write(UUID session, String column, java.util.function.Supplier<byte[]> encoder, boolean async) {
        byte[] plaintext = encoder.get();
        Runnable writing = () -> {
            synchronized (lockFor(session)) {
                reencryptOthersIfNeeded(session, column);
                jdbc.sql("UPDATE whatsapp_sessions SET " + column + " = ?, key_id = ?, updated_at = now() WHERE session_uuid = ?")
                        .param(crypto.encrypt(plaintext, session + "/" + column))
                        .param(crypto.currentKeyId())
                        .param(session)
                        .update();
            }
        };
        if (!async) {
            writing.run();
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(writing, writer).exceptionally(ex -> {
            log.warn("Saving the {} of WhatsApp session {} failed: {}", column, session, ex.toString());
            return null;
        });
    }

    /**
     * One key id covers the whole row, so before a column is written under a new key the other columns are
     * re-encrypted with it too (key rotation happens row by row, on the next save).
     */
    private void reencryptOthersIfNeeded(UUID session, String written) {
        String keyId = jdbc.sql("SELECT key_id FROM whatsapp_sessions WHERE session_uuid = ?")
                .param(session)
                .query(String.class)
                .optional()
                .orElse(null);
        if (keyId == null || keyId.equals(crypto.currentKeyId())) {
            return;
        }
        for (String column : List.of("keys", "store", "chats")) {
            if (!column.equals(written)) {
                read(session, column).ifPresent(plain -> jdbc.sql("UPDATE whatsapp_sessions SET " + column + " = ? WHERE session_uuid = ?")
                        .param(crypto.encrypt(plain, session + "/" + column))
                        .param(session)
                        .update());
            }
        }
    }

    private final Map<UUID, Object> locks = new ConcurrentHashMap<>();

    private Object lockFor(UUID session) {
        return locks.computeIfAbsent(session, id -> new Object());
    }

    Optional<byte[]> read(UUID session, String column) {
        return jdbc.sql("SELECT " + column + " AS blob, key_id FROM whatsapp_sessions WHERE session_uuid = ?")
                .param(session)
                .query((rs, row) -> {
                    byte[] blob = rs.getBytes("blob");
                    return blob == null ? null : crypto.decrypt(blob, rs.getString("key_id"), session + "/" + column);
                })
                .optional();
    }

    /**
     * Cobalt 0.0.10's {@code decode(byte[])} fails on any JID with a device part (every paired account's own JID
     * has one); decoding from a stream does not.
     */
    private static it.auties.protobuf.stream.ProtobufInputStream stream(byte[] bytes) {
        return it.auties.protobuf.stream.ProtobufInputStream.fromStream(new java.io.ByteArrayInputStream(bytes));
    }

    static byte[] encodeChats(List<Chat> chats) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            List<Chat> snapshot = new ArrayList<>(chats);
            out.writeInt(snapshot.size());
            for (Chat chat : snapshot) {
                byte[] encoded = ChatSpec.encode(chat);
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    static List<Chat> decodeChats(byte[] data) {
        try (var in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            int count = in.readInt();
            List<Chat> chats = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                chats.add(ChatSpec.decode(stream(in.readNBytes(in.readInt()))));
            }
            return chats;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
