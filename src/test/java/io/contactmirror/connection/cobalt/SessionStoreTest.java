package io.contactmirror.connection.cobalt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.contactmirror.ContactMirrorApplication;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.Fence;
import io.contactmirror.instance.InstanceService;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.tenant.TenantService;
import it.auties.whatsapp.api.ClientType;
import it.auties.whatsapp.controller.Keys;
import it.auties.whatsapp.controller.KeysSpec;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.model.chat.ChatBuilder;
import it.auties.whatsapp.model.contact.ContactBuilder;
import it.auties.whatsapp.model.jid.Jid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Cobalt's credentials survive a restart in PostgreSQL, encrypted, and keys can be rotated. */
class SessionStoreTest {

    @TempDir
    Path directory;

    private ConfigurableApplicationContext start(String... extra) {
        boolean keyGiven = Stream.of(extra).anyMatch(arg -> arg.startsWith("--contactmirror.sessions.encryption-key="));
        String[] args = Stream.concat(
                        Stream.of(
                                "--server.port=0",
                                "--contactmirror.embedded-database.ephemeral=false",
                                "--contactmirror.embedded-database.data-directory=" + directory.resolve("postgres"),
                                // Without a key given: the embedded default's generated key, not the test profile's.
                                keyGiven
                                        ? "--contactmirror.demo.enabled=false"
                                        : "--contactmirror.sessions.encryption-key="),
                        Stream.of(extra))
                .toArray(String[]::new);
        return new SpringApplicationBuilder(ContactMirrorApplication.class)
                .profiles("test")
                .run(args);
    }

    /** The lease the writes run under; lease rows survive restarts of the persistent database, as in production. */
    private static Fence lease(ConfigurableApplicationContext context, long instanceId) {
        context.getBean(JdbcClient.class).sql("""
                        INSERT INTO instance_leases (instance_id, owner_id, epoch, acquired_at, expires_at)
                        VALUES (?, 'store-test', 1, now(), now() + interval '1 hour') ON CONFLICT (instance_id) DO NOTHING""").param(instanceId).update();
        return new Fence("store-test", 1);
    }

    @Test
    void keepsEncryptedCredentialsAcrossARestartAndRotatesKeys() throws Exception {
        UUID session;
        long instance;
        byte[] identityKey;
        int registrationId;
        try (var context = start()) {
            var onboarded = context.getBean(TenantService.class).onboard("phones", "Phones", "p@example.com", null);
            var principal = new TenantPrincipal(
                    null, onboarded.tenant().getId(), onboarded.owner().getId(), null, Scope.all());
            long instanceId = context.getBean(InstanceService.class)
                    .create(principal, "real_phone", null, EngineType.WHATSAPP, null)
                    .id();
            var sessions = context.getBean(PostgresSessionSerializer.class);
            instance = instanceId;
            var serializer = sessions.open(instanceId, lease(context, instanceId), () -> {});
            session = serializer.session();
            assertThat(sessions.sessionOf(instanceId)).isEqualTo(session);

            Keys keys = Keys.of(session, null, List.of(), ClientType.WEB);
            Store store = Store.of(session, null, List.of(), ClientType.WEB);
            store.setName("Loja Jakarta");
            // A paired account's own JID always has a device part; Cobalt's byte[] decoders fail on it.
            store.setJid(Jid.of("5511912345678", it.auties.whatsapp.model.jid.JidServer.whatsapp(), 12, 0));
            store.addContact(new ContactBuilder()
                    .jid(Jid.of("628123456789@s.whatsapp.net"))
                    .chosenName("John")
                    .build());
            store.addChat(new ChatBuilder()
                    .jid(Jid.of("628123456789@s.whatsapp.net"))
                    .name("John Customer")
                    .build());
            serializer.serializeKeys(keys, false).join();
            serializer.serializeStore(store, false).join();
            identityKey = keys.identityKeyPair().publicKey();
            registrationId = keys.registrationId();

            byte[] stored = context.getBean(JdbcClient.class)
                    .sql("SELECT keys FROM whatsapp_sessions WHERE session_uuid = ?")
                    .param(session)
                    .query(byte[].class)
                    .single();
            byte[] plaintext = KeysSpec.encode(keys);
            assertThat(stored).isNotEqualTo(plaintext);
            assertThat(Base64.getEncoder().encodeToString(stored))
                    .doesNotContain(Base64.getEncoder().encodeToString(identityKey));
            assertThat(sessions.hasCredentials(session)).isTrue();
        }

        String oldKey = Files.readString(directory.resolve("session-key")).strip();
        try (var context = start()) {
            var serializer =
                    context.getBean(PostgresSessionSerializer.class).open(instance, lease(context, instance), () -> {});
            Keys keys = serializer.deserializeKeys(ClientType.WEB, session).orElseThrow();
            assertThat(keys.identityKeyPair().publicKey()).isEqualTo(identityKey);
            assertThat(keys.registrationId()).isEqualTo(registrationId);
            Store store = serializer.deserializeStore(ClientType.WEB, session).orElseThrow();
            assertThat(store.name()).isEqualTo("Loja Jakarta");
            assertThat(store.jid()).map(Jid::user).contains("5511912345678");
            assertThat(store.contacts())
                    .extracting(contact -> contact.chosenName().orElse(null))
                    .contains("John");
            serializer.attributeStore(store).join();
            serializer.attributeStore(store).join();
            assertThat(store.chats())
                    .hasSize(1)
                    .first()
                    .extracting(chat -> chat.name())
                    .isEqualTo("John Customer");
            assertThat(serializer.listIds(ClientType.WEB)).contains(session);
        }

        // Rotation: a new key with the old one as previous still reads, and the next save re-encrypts the row.
        String newKey = Base64.getEncoder().encodeToString(new java.security.SecureRandom().generateSeed(32));
        try (var context = start(
                "--contactmirror.sessions.encryption-key=" + newKey,
                "--contactmirror.sessions.previous-encryption-keys=" + oldKey)) {
            var serializer =
                    context.getBean(PostgresSessionSerializer.class).open(instance, lease(context, instance), () -> {});
            Keys keys = serializer.deserializeKeys(ClientType.WEB, session).orElseThrow();
            serializer.serializeKeys(keys, false).join();
            assertThat(context.getBean(JdbcClient.class)
                            .sql("SELECT key_id FROM whatsapp_sessions WHERE session_uuid = ?")
                            .param(session)
                            .query(String.class)
                            .single())
                    .isEqualTo(SessionCrypto.idOf(Base64.getDecoder().decode(newKey)));
        }
        try (var context = start("--contactmirror.sessions.encryption-key=" + newKey)) {
            var serializer =
                    context.getBean(PostgresSessionSerializer.class).open(instance, lease(context, instance), () -> {});
            assertThat(serializer.deserializeStore(ClientType.WEB, session)).isPresent();
            assertThat(serializer
                            .deserializeKeys(ClientType.WEB, session)
                            .orElseThrow()
                            .identityKeyPair()
                            .publicKey())
                    .isEqualTo(identityKey);
        }
        try (var context = start("--contactmirror.sessions.encryption-key=" + oldKey)) {
            var serializer =
                    context.getBean(PostgresSessionSerializer.class).open(instance, lease(context, instance), () -> {});
            assertThatThrownBy(() -> serializer.deserializeKeys(ClientType.WEB, session))
                    .isInstanceOf(SessionCrypto.SessionKeyException.class)
                    .hasMessageContaining("previous-encryption-keys");
        }
        assertThat(Path.of(System.getProperty("user.home"), ".cobalt")).doesNotExist();
    }
}
