package io.contactmirror.connection.cobalt;

import io.contactmirror.connection.Fence;
import it.auties.whatsapp.model.chat.Chat;
import it.auties.whatsapp.model.chat.ChatSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Cobalt's session persistence in PostgreSQL instead of files under the user's home: keys, store and chats per
 * instance, AES-GCM encrypted. Sessions reach it through a {@link FencedSessionSerializer} per connection attempt:
 * every write a session causes names the lease it runs under and is refused in the same statement once another
 * replica has taken the instance over. Snapshots Cobalt saves asynchronously go through one {@link SnapshotWriter}.
 */
final class PostgresSessionSerializer implements AutoCloseable {

    /** Index: {@code instance_leases} primary key (instance_id). */
    private static final String FENCE = " AND EXISTS (SELECT 1 FROM instance_leases l"
            + " WHERE l.instance_id = whatsapp_sessions.instance_id AND l.owner_id = :owner AND l.epoch = :epoch)";

    private final JdbcClient jdbc;
    private final SessionCrypto crypto;
    private final SnapshotWriter writer;

    PostgresSessionSerializer(JdbcClient jdbc, SessionCrypto crypto, Duration writeRetryDelay) {
        this.jdbc = jdbc;
        this.crypto = crypto;
        this.writer = new SnapshotWriter("whatsapp-session-writer", writeRetryDelay);
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
        return jdbc.sql(
                                "SELECT count(*) FROM whatsapp_sessions WHERE session_uuid = ? AND keys IS NOT NULL AND store IS NOT NULL")
                        .param(session)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /**
     * The serializer of one connection attempt of an instance, writing under {@code fence}; {@code onDeleted} runs
     * when Cobalt deletes the session (logout on the phone, ban).
     */
    FencedSessionSerializer open(long instanceId, Fence fence, Runnable onDeleted) {
        return new FencedSessionSerializer(this, writer, instanceId, sessionOf(instanceId), fence, onDeleted);
    }

    /** Drops an instance's session row, whoever holds its lease (the instance is deleted, or logged out unowned). */
    void forget(long instanceId) {
        jdbc.sql("DELETE FROM whatsapp_sessions WHERE instance_id = ?")
                .param(instanceId)
                .update();
    }

    /** Drops an instance's session row if {@code fence} still holds its lease; true if it did. */
    boolean forget(long instanceId, Fence fence) {
        return jdbc.sql("DELETE FROM whatsapp_sessions WHERE instance_id = :instance" + FENCE)
                        .param("instance", instanceId)
                        .param("owner", fence.owner())
                        .param("epoch", fence.epoch())
                        .update()
                > 0;
    }

    /** Clears the credentials (Cobalt's deleteSession) if {@code fence} still holds the lease; true if it did. */
    boolean clear(UUID session, Fence fence) {
        return jdbc.sql("UPDATE whatsapp_sessions SET keys = NULL, store = NULL, chats = NULL, updated_at = now()"
                                + " WHERE session_uuid = :session" + FENCE)
                        .param("session", session)
                        .param("owner", fence.owner())
                        .param("epoch", fence.epoch())
                        .update()
                > 0;
    }

    LinkedList<UUID> listIds() {
        return new LinkedList<>(jdbc.sql("SELECT session_uuid FROM whatsapp_sessions WHERE keys IS NOT NULL")
                .query(UUID.class)
                .list());
    }

    /**
     * Encrypts and stores one column if {@code fence} still holds the lease; false if the fence was refused (or the
     * row is gone). One key id covers the whole row, so before a column is written under a new key the other columns
     * are re-encrypted with it too (key rotation happens row by row, on the next save).
     */
    boolean write(UUID session, Fence fence, String column, byte[] plaintext) {
        requireColumn(column);
        String keyId = jdbc.sql("SELECT key_id FROM whatsapp_sessions WHERE session_uuid = ?")
                .param(session)
                .query(String.class)
                .optional()
                .orElse(null);
        if (keyId != null && !keyId.equals(crypto.currentKeyId())) {
            // All read under the row's old key before the first update changes the row's key id.
            var others = new java.util.LinkedHashMap<String, byte[]>();
            COLUMNS.stream()
                    .filter(other -> !other.equals(column))
                    .forEach(other -> read(session, other).ifPresent(plain -> others.put(other, plain)));
            others.forEach((other, plain) -> fencedUpdate(session, fence, other, plain));
        }
        return fencedUpdate(session, fence, column, plaintext);
    }

    private boolean fencedUpdate(UUID session, Fence fence, String column, byte[] plaintext) {
        return jdbc.sql("UPDATE whatsapp_sessions SET " + column + " = :blob, key_id = :keyId, updated_at = now()"
                                + " WHERE session_uuid = :session" + FENCE)
                        .param("blob", crypto.encrypt(plaintext, session + "/" + column))
                        .param("keyId", crypto.currentKeyId())
                        .param("session", session)
                        .param("owner", fence.owner())
                        .param("epoch", fence.epoch())
                        .update()
                > 0;
    }

    Optional<byte[]> read(UUID session, String column) {
        requireColumn(column);
        return jdbc.sql("SELECT " + column + " AS blob, key_id FROM whatsapp_sessions WHERE session_uuid = ?")
                .param(session)
                .query((rs, row) -> {
                    byte[] blob = rs.getBytes("blob");
                    return blob == null ? null : crypto.decrypt(blob, rs.getString("key_id"), session + "/" + column);
                })
                .optional();
    }

    SnapshotWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        writer.close();
    }

    static final List<String> COLUMNS =
            List.of(FencedSessionSerializer.KEYS, FencedSessionSerializer.STORE, FencedSessionSerializer.CHATS);

    private static void requireColumn(String column) {
        if (!COLUMNS.contains(column)) {
            throw new IllegalArgumentException("not a session column: " + column);
        }
    }

    /**
     * Cobalt 0.0.10's {@code decode(byte[])} fails on any JID with a device part (every paired account's own JID
     * has one); decoding from a stream does not.
     */
    static it.auties.protobuf.stream.ProtobufInputStream stream(byte[] bytes) {
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
