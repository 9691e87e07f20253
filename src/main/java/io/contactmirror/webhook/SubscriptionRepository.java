package io.contactmirror.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Webhook subscriptions and the dispatcher's cursors into the change log. */
@Repository
class SubscriptionRepository {

    private static final String COLUMNS = """
            w.id, w.tenant_id, w.url, array_to_string(w.event_types, ',') AS event_types, w.instance_id,
            i.instance_name, w.description, w.enabled, w.disabled_reason, w.disabled_at, w.created_at, w.updated_at
            FROM webhook_subscriptions w LEFT JOIN instances i ON i.id = w.instance_id
            """;

    private final JdbcClient jdbc;

    SubscriptionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A new subscription starts at the end of every instance's change log it covers: it gets changes from now on. */
    void insert(
            UUID id,
            UUID tenantId,
            String url,
            List<String> eventTypes,
            @Nullable Long instanceId,
            @Nullable String description,
            boolean enabled,
            EncryptedSecret secret) {
        jdbc.sql("""
                        INSERT INTO webhook_subscriptions (id, tenant_id, url, event_types, instance_id, description, enabled,
                                                           secret_key_id, secret)
                        VALUES (:id, :tenant, :url, string_to_array(:types, ','), :instance, :description, :enabled,
                                :keyId, :secret)""")
                .param("id", id)
                .param("tenant", tenantId)
                .param("url", url)
                .param("types", String.join(",", eventTypes))
                .param("instance", instanceId)
                .param("description", description)
                .param("enabled", enabled)
                .param("keyId", secret.keyId())
                .param("secret", secret.blob())
                .update();
        jdbc.sql("""
                        INSERT INTO webhook_cursors (subscription_id, instance_id, last_seq)
                        SELECT :id, i.id, coalesce((SELECT max(seq) FROM changes c WHERE c.instance_id = i.id), 0)
                        FROM instances i WHERE i.tenant_id = :tenant AND (CAST(:instance AS bigint) IS NULL OR i.id = :instance)""")
                .param("id", id)
                .param("tenant", tenantId)
                .param("instance", instanceId)
                .update();
    }

    /** The subscription if the tenant owns it and (for an instance-bound caller) it is filtered to that instance. */
    Optional<Subscription> find(UUID tenantId, @Nullable Long boundInstanceId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         WHERE w.id = :id AND w.tenant_id = :tenant
                           AND (CAST(:bound AS bigint) IS NULL OR w.instance_id = :bound)""")
                .param("id", id)
                .param("tenant", tenantId)
                .param("bound", boundInstanceId)
                .query(SubscriptionRepository::map)
                .optional();
    }

    /** One page, oldest first. Index: webhook_subscriptions_tenant_idx. */
    List<Subscription> page(UUID tenantId, @Nullable Long boundInstanceId, long offset, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         WHERE w.tenant_id = :tenant AND (CAST(:bound AS bigint) IS NULL OR w.instance_id = :bound)
                         ORDER BY w.created_at, w.id OFFSET :offset LIMIT :limit""")
                .param("tenant", tenantId)
                .param("bound", boundInstanceId)
                .param("offset", offset)
                .param("limit", limit)
                .query(SubscriptionRepository::map)
                .list();
    }

    long count(UUID tenantId, @Nullable Long boundInstanceId) {
        return jdbc.sql("""
                        SELECT count(*) FROM webhook_subscriptions
                        WHERE tenant_id = :tenant AND (CAST(:bound AS bigint) IS NULL OR instance_id = :bound)""")
                .param("tenant", tenantId)
                .param("bound", boundInstanceId)
                .query(Long.class)
                .single();
    }

    void update(UUID id, String url, List<String> eventTypes, @Nullable String description) {
        jdbc.sql("""
                        UPDATE webhook_subscriptions
                        SET url = :url, event_types = string_to_array(:types, ','), description = :description,
                            updated_at = now()
                        WHERE id = :id""")
                .param("id", id)
                .param("url", url)
                .param("types", String.join(",", eventTypes))
                .param("description", description)
                .update();
    }

    /**
     * Enables a subscription: deliveries that were given up on go out again (first, in their order), and the
     * dispatcher resumes from where it stopped, so nothing that happened while it was disabled is lost.
     */
    void enable(UUID id) {
        jdbc.sql("""
                        UPDATE webhook_subscriptions SET enabled = true, disabled_reason = NULL, disabled_at = NULL,
                               updated_at = now()
                        WHERE id = :id AND NOT enabled""").param("id", id).update();
        jdbc.sql("""
                        UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now(), first_attempt_at = NULL
                        WHERE subscription_id = :id AND status = 'FAILED'""").param("id", id).update();
    }

    void disable(UUID id, @Nullable String reason) {
        jdbc.sql("""
                        UPDATE webhook_subscriptions SET enabled = false, disabled_reason = :reason, disabled_at = now(),
                               updated_at = now()
                        WHERE id = :id AND enabled""").param("id", id).param("reason", reason).update();
    }

    void replaceSecret(UUID id, EncryptedSecret secret) {
        jdbc.sql(
                        "UPDATE webhook_subscriptions SET secret_key_id = :keyId, secret = :secret, updated_at = now() WHERE id = :id")
                .param("id", id)
                .param("keyId", secret.keyId())
                .param("secret", secret.blob())
                .update();
    }

    /** Replaces an encrypted secret by the same secret under another key, unless it was rotated meanwhile. */
    void reencryptSecret(UUID id, EncryptedSecret old, EncryptedSecret reencrypted) {
        jdbc.sql("""
                        UPDATE webhook_subscriptions SET secret_key_id = :keyId, secret = :secret
                        WHERE id = :id AND secret_key_id = :oldKeyId AND secret = :oldSecret""")
                .param("id", id)
                .param("keyId", reencrypted.keyId())
                .param("secret", reencrypted.blob())
                .param("oldKeyId", old.keyId())
                .param("oldSecret", old.blob())
                .update();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM webhook_subscriptions WHERE id = :id")
                        .param("id", id)
                        .update()
                > 0;
    }

    Optional<EncryptedSecret> secret(UUID id) {
        return jdbc.sql("SELECT secret_key_id, secret FROM webhook_subscriptions WHERE id = :id")
                .param("id", id)
                .query((rs, row) -> new EncryptedSecret(rs.getString("secret_key_id"), rs.getBytes("secret")))
                .optional();
    }

    private static Subscription map(ResultSet rs, int row) throws SQLException {
        return new Subscription(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("url"),
                eventTypes(rs.getString("event_types")),
                rs.getObject("instance_id", Long.class),
                rs.getString("instance_name"),
                rs.getString("description"),
                rs.getBoolean("enabled"),
                rs.getString("disabled_reason"),
                instant(rs.getTimestamp("disabled_at")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Event types as {@code array_to_string(event_types, ',')} returns them. */
    static List<String> eventTypes(@Nullable String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    /** A signing secret as stored: encrypted, with the id of the key that encrypted it. */
    record EncryptedSecret(String keyId, byte[] blob) {}
}
