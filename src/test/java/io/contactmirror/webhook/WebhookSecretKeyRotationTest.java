package io.contactmirror.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Signing secrets after a rotation of the encryption key: one stored under the previous key still signs and is
 * re-encrypted with the current key; one no configured key decrypts disables its webhook with the reason.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "contactmirror.sessions.encryption-key=" + WebhookSecretKeyRotationTest.CURRENT,
            "contactmirror.sessions.previous-encryption-keys=" + WebhookSecretKeyRotationTest.PREVIOUS,
            "contactmirror.webhooks.allow-http=true",
            "contactmirror.webhooks.allow-private-targets=true",
            "contactmirror.webhooks.poll-interval=PT0.05S"
        })
class WebhookSecretKeyRotationTest {

    static final String CURRENT = "q4mK7sFzQm0Xc2l3T8bq1n5v6w7x8y9z0A1B2C3D4E4=";
    static final String PREVIOUS = "9PZZ00+eoLO8CkcH0z6izhhvD7eGtenmcH/zNAtrz00=";
    static final String FORGOTTEN = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    ChangeLog changeLog;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    WebhookReceiver receiver;
    Instance instance;
    TestTenants.TestTenant tenant;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        tenant = tenants.create();
        instance = instances.create(tenant, "rotation", EngineType.SANDBOX);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    /** A subscription row as an earlier start (with another key) would have written it. */
    private UUID subscriptionEncryptedWith(String base64Key, String secret) throws Exception {
        UUID id = UUID.randomUUID();
        byte[] key = Base64.getDecoder().decode(base64Key);
        byte[] nonce = new byte[12];
        new java.security.SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(("webhook-secret:" + id).getBytes(StandardCharsets.UTF_8));
        byte[] ciphertext = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        byte[] blob = ByteBuffer.allocate(12 + ciphertext.length)
                .put(nonce)
                .put(ciphertext)
                .array();
        jdbc.sql("""
                        INSERT INTO webhook_subscriptions (id, tenant_id, url, instance_id, secret_key_id, secret)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(id, tenant.tenantId(), receiver.url(), instance.id(), keyId(key), blob)
                .update();
        jdbc.sql("INSERT INTO webhook_cursors (subscription_id, instance_id, last_seq) VALUES (?, ?, 0)")
                .params(id, instance.id())
                .update();
        return id;
    }

    private static String keyId(byte[] key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
    }

    private String keyIdOf(UUID subscription) {
        return jdbc.sql("SELECT secret_key_id FROM webhook_subscriptions WHERE id = ?")
                .param(subscription)
                .query(String.class)
                .single();
    }

    @Test
    void aSecretUnderThePreviousKeyStillSignsAndMovesToTheCurrentKey() throws Exception {
        String secret = WebhookSignature.newSecret();
        UUID id = subscriptionEncryptedWith(PREVIOUS, secret);
        assertThat(keyIdOf(id)).isEqualTo(keyId(Base64.getDecoder().decode(PREVIOUS)));

        transactions.executeWithoutResult(status -> changeLog.append(
                instance.id(),
                ChangeType.CONTACT_DELETED,
                1L,
                JsonNodeFactory.instance.objectNode().put("jid", "a@lid"),
                null));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
        assertThat(WebhookReceiver.verify(secret, receiver.accepted().getFirst()))
                .isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> keyIdOf(id).equals(keyId(Base64.getDecoder().decode(CURRENT))));

        transactions.executeWithoutResult(status -> changeLog.append(
                instance.id(),
                ChangeType.CONTACT_DELETED,
                2L,
                JsonNodeFactory.instance.objectNode().put("jid", "b@lid"),
                null));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 2);
        assertThat(WebhookReceiver.verify(secret, receiver.accepted().get(1)))
                .as("the same secret, re-encrypted")
                .isTrue();
    }

    @Test
    void aSecretNoConfiguredKeyDecryptsDisablesItsWebhookWithTheReason() throws Exception {
        UUID id = subscriptionEncryptedWith(FORGOTTEN, WebhookSignature.newSecret());
        transactions.executeWithoutResult(status -> changeLog.append(
                instance.id(),
                ChangeType.CONTACT_DELETED,
                3L,
                JsonNodeFactory.instance.objectNode().put("jid", "c@lid"),
                null));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !jdbc.sql("SELECT enabled FROM webhook_subscriptions WHERE id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single());
        assertThat(jdbc.sql("SELECT disabled_reason FROM webhook_subscriptions WHERE id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .contains("cannot be decrypted")
                .contains("rotate the secret");
        assertThat(receiver.requests()).isEmpty();
        assertThat(jdbc.sql("SELECT status FROM webhook_deliveries WHERE subscription_id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("PENDING");
    }
}
