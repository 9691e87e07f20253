package io.contactmirror.connection.cobalt;

import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.DisconnectReason;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.connection.engine.Account;
import io.contactmirror.connection.engine.SessionListener;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import it.auties.whatsapp.model.chat.ChatBuilder;
import it.auties.whatsapp.model.contact.ContactBuilder;
import it.auties.whatsapp.model.info.ChatMessageInfoBuilder;
import it.auties.whatsapp.model.jid.Jid;
import it.auties.whatsapp.model.jid.JidServer;
import it.auties.whatsapp.model.message.model.ChatMessageKeyBuilder;
import it.auties.whatsapp.model.message.model.MessageContainer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Real Cobalt objects through the adapter's translator into PostgreSQL and out of /api/v1/contacts. */
@IntegrationTest
class CobaltMirrorTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    JdbcClient jdbc;

    /** What the socket manager does with a session's events, minus the lease bookkeeping. */
    private SessionListener mirrorOf(long instanceId) {
        return new SessionListener() {
            @Override
            public void qrCode(String payload, Instant expiresAt) {}

            @Override
            public void pairingCode(String code) {}

            @Override
            public void connecting() {}

            @Override
            public void loggedIn(Account account) {}

            @Override
            public void disconnected(DisconnectReason reason, String detail) {}

            @Override
            public void contacts(List<ContactRecord> contacts) {
                events.publishEvent(
                        new InstanceDataEvent.ContactsReceived(instanceId, instances.lease(instanceId), contacts));
            }

            @Override
            public void chats(List<ChatRecord> chats) {
                events.publishEvent(
                        new InstanceDataEvent.ChatsReceived(instanceId, instances.lease(instanceId), chats));
            }

            @Override
            public void identityMappings(List<IdentityMapping> mappings) {
                events.publishEvent(
                        new InstanceDataEvent.IdentitiesMapped(instanceId, instances.lease(instanceId), mappings));
            }

            @Override
            public void syncProgress(int percent, boolean complete) {}
        };
    }

    @Test
    void mirrorsCobaltContactsAndChatsIntoTheContactsApi() throws Exception {
        var tenant = tenants.create();
        var instance = instances.create(tenant, "cobalt_phone", EngineType.WHATSAPP);
        var translator = new CobaltEventTranslator(mirrorOf(instance.id()));

        Jid ana = Jid.of("5521988887777@s.whatsapp.net");
        Jid anaLid = Jid.of("100000000000001", JidServer.lid());
        translator.contacts(List.of(
                new ContactBuilder().jid(anaLid).chosenName("Ana").build(),
                new ContactBuilder()
                        .jid(Jid.of("628123456789", JidServer.whatsapp(), 2, 0))
                        .chosenName("John")
                        .fullName("John Customer")
                        .shortName("John")
                        .build(),
                new ContactBuilder()
                        .jid(Jid.of("5511988887777@c.us"))
                        .fullName("Legacy C Us")
                        .build()));
        var message = new ChatMessageInfoBuilder()
                .key(new ChatMessageKeyBuilder()
                        .chatJid(ana)
                        .id("M1")
                        .fromMe(false)
                        .build())
                .message(MessageContainer.of("Oi!"))
                .timestampSeconds(1_780_000_000L)
                .build();
        var chat = new ChatBuilder()
                .jid(ana)
                .name("Ana Souza")
                .unreadMessagesCount(2)
                .lid(anaLid)
                .phoneJid(ana)
                .build();
        chat.addNewMessage(message);
        translator.chats(List.of(chat));

        // The chat revealed Ana's phone number: her LID-only contact became a phone-number contact.
        mvc.perform(get("/api/v1/contacts/lookup?instanceName=cobalt_phone&phone=5521988887777")
                        .header("Authorization", tenant.bearer()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.contact.remoteJid", is("5521988887777@s.whatsapp.net")))
                .andExpect(jsonPath("$.contact.lid", is("100000000000001@lid")))
                .andExpect(jsonPath("$.contact.pushName", is("Ana")))
                .andExpect(jsonPath("$.contact.chat.lastMessageText", is("Oi!")))
                .andExpect(jsonPath("$.contact.chat.unreadCount", is(2)));
        mvc.perform(get("/api/v1/contacts?instanceName=cobalt_phone&q=customer")
                        .header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.total", is(1)))
                .andExpect(jsonPath("$.contacts[0].remoteJid", is("628123456789@s.whatsapp.net")))
                .andExpect(jsonPath("$.contacts[0].firstName", is("John")));
        mvc.perform(get("/api/v1/contacts/lookup?instanceName=cobalt_phone&jid=5511988887777@s.whatsapp.net")
                        .header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.contact.fullName", is("Legacy C Us")));
        mvc.perform(get("/api/v1/contacts?instanceName=cobalt_phone").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.total", is(3)));
        org.assertj.core.api.Assertions.assertThat(
                        jdbc.sql("SELECT count(*) FROM identity_mappings WHERE instance_id = ?")
                                .param(instance.id())
                                .query(Long.class)
                                .single())
                .isEqualTo(1);
    }
}
