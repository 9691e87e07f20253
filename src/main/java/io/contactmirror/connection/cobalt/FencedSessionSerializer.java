package io.contactmirror.connection.cobalt;

import io.contactmirror.connection.Fence;
import it.auties.whatsapp.api.ClientType;
import it.auties.whatsapp.controller.Controller;
import it.auties.whatsapp.controller.ControllerSerializer;
import it.auties.whatsapp.controller.Keys;
import it.auties.whatsapp.controller.KeysSpec;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.controller.StoreSpec;
import it.auties.whatsapp.model.chat.Chat;
import it.auties.whatsapp.model.mobile.PhoneNumber;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cobalt's serializer for one connection attempt of one instance: reads the stored session, and writes what Cobalt
 * saves under the attempt's lease fence. Once the attempt is closed, the session deleted, or a write refused because
 * another replica took the lease over, it writes nothing more and its waiting snapshots are dropped. Snapshots equal
 * to the last one handed over (by hash of the plaintext) are skipped.
 */
final class FencedSessionSerializer implements ControllerSerializer {

    static final String KEYS = "keys";
    static final String STORE = "store";
    static final String CHATS = "chats";

    private static final Logger log = LoggerFactory.getLogger(FencedSessionSerializer.class);

    private final PostgresSessionSerializer sessions;
    private final SnapshotWriter writer;
    private final long instanceId;
    private final UUID session;
    private final Fence fence;
    private final Runnable onDeleted;
    private final Map<String, byte[]> lastHandedOver = new HashMap<>();
    private final Map<String, Long> lastWritten = new HashMap<>();
    private long sequence;
    private volatile boolean closed;

    FencedSessionSerializer(
            PostgresSessionSerializer sessions,
            SnapshotWriter writer,
            long instanceId,
            UUID session,
            Fence fence,
            Runnable onDeleted) {
        this.sessions = sessions;
        this.writer = writer;
        this.instanceId = instanceId;
        this.session = session;
        this.fence = fence;
        this.onDeleted = onDeleted;
    }

    UUID session() {
        return session;
    }

    Fence fence() {
        return fence;
    }

    boolean isClosed() {
        return closed;
    }

    /** Ends the attempt's writes; snapshots still waiting are dropped. */
    void close() {
        closed = true;
        writer.drop(this);
    }

    /** Logs the instance out for good: drops the stored session if this attempt's fence still holds the lease. */
    void forget() {
        close();
        if (!sessions.forget(instanceId, fence)) {
            log.info("Instance {}: session credentials not dropped, the lease {} is no longer held", instanceId, fence);
        }
    }

    @Override
    public CompletableFuture<Void> serializeKeys(Keys keys, boolean async) {
        return save(KEYS, () -> KeysSpec.encode(keys), async);
    }

    @Override
    public CompletableFuture<Void> serializeStore(Store store, boolean async) {
        CompletableFuture<Void> storeSaved = save(STORE, () -> StoreSpec.encode(store), async);
        CompletableFuture<Void> chatsSaved =
                save(CHATS, () -> PostgresSessionSerializer.encodeChats(store.chats()), async);
        return CompletableFuture.allOf(storeSaved, chatsSaved);
    }

    /**
     * Encodes on the caller's thread (a consistent snapshot); an unchanged snapshot is skipped; an asynchronous one
     * goes to the writer, a synchronous one is written here and replaces any older one still waiting.
     */
    private CompletableFuture<Void> save(String column, Supplier<byte[]> encoder, boolean async) {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] plaintext = encoder.get();
        byte[] hash = sha256(plaintext);
        long number;
        synchronized (lastHandedOver) {
            if (Arrays.equals(lastHandedOver.get(column), hash)) {
                return CompletableFuture.completedFuture(null);
            }
            lastHandedOver.put(column, hash);
            number = ++sequence;
        }
        var snapshot = new SnapshotWriter.Snapshot(this, column, number, plaintext);
        if (async) {
            return writer.submit(snapshot);
        }
        writer.supersede(snapshot.key(), number);
        try {
            persist(snapshot);
        } catch (RuntimeException ex) {
            forgetHash(column, hash);
            throw ex;
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Stores a snapshot unless the attempt is closed or a newer one of the column was stored already. A refused fence
     * closes the attempt: epochs only grow, so no later write of it could pass either.
     */
    void persist(SnapshotWriter.Snapshot snapshot) {
        boolean refused;
        synchronized (this) {
            if (closed || snapshot.sequence <= lastWritten.getOrDefault(snapshot.column, 0L)) {
                return;
            }
            try {
                refused = !sessions.write(session, fence, snapshot.column, snapshot.plaintext);
            } catch (RuntimeException ex) {
                forgetHash(snapshot.column, sha256(snapshot.plaintext));
                throw ex;
            }
            lastWritten.put(snapshot.column, snapshot.sequence);
        }
        if (refused) {
            log.info("Instance {}: not saving the WhatsApp session, its lease {} was taken over", instanceId, fence);
            close();
        }
    }

    /** A failed write must not make an identical later snapshot look already saved. */
    private void forgetHash(String column, byte[] hash) {
        synchronized (lastHandedOver) {
            if (Arrays.equals(lastHandedOver.get(column), hash)) {
                lastHandedOver.remove(column);
            }
        }
    }

    /** Cobalt deletes the session on logout from the phone and on bans. */
    @Override
    public void deleteSession(Controller<?> controller) {
        close();
        if (!sessions.clear(session, fence)) {
            log.info("Instance {}: not clearing the WhatsApp session, its lease {} was taken over", instanceId, fence);
        }
        onDeleted.run();
    }

    @Override
    public Optional<Keys> deserializeKeys(ClientType type, UUID id) {
        return sessions.read(id, KEYS)
                .map(bytes -> KeysSpec.decode(PostgresSessionSerializer.stream(bytes)))
                .map(keys -> {
                    keys.setSerializer(this);
                    return keys;
                });
    }

    @Override
    public Optional<Store> deserializeStore(ClientType type, UUID id) {
        return sessions.read(id, STORE)
                .map(bytes -> StoreSpec.decode(PostgresSessionSerializer.stream(bytes)))
                .map(store -> {
                    store.setSerializer(this);
                    return store;
                });
    }

    /** Puts the separately kept chats back; Cobalt calls this on load and again at login, so it only adds missing ones. */
    @Override
    public CompletableFuture<Void> attributeStore(Store store) {
        List<Chat> chats = sessions.read(store.uuid(), CHATS)
                .map(PostgresSessionSerializer::decodeChats)
                .orElse(List.of());
        chats.forEach(chat -> {
            if (store.findChatByJid(chat.jid()).isEmpty()) {
                store.addChatDirect(chat);
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public LinkedList<UUID> listIds(ClientType type) {
        return sessions.listIds();
    }

    @Override
    public LinkedList<PhoneNumber> listPhoneNumbers(ClientType type) {
        // Sessions are found by UUID only.
        return new LinkedList<>();
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
    public Optional<Store> deserializeStore(ClientType type, PhoneNumber phoneNumber) {
        return Optional.empty();
    }

    @Override
    public Optional<Store> deserializeStore(ClientType type, String alias) {
        return Optional.empty();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
