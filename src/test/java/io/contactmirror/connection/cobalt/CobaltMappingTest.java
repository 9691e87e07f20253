package io.contactmirror.connection.cobalt;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.IdentityMapping;
import it.auties.whatsapp.api.ClientType;
import it.auties.whatsapp.controller.Store;
import it.auties.whatsapp.model.chat.ChatBuilder;
import it.auties.whatsapp.model.contact.ContactBuilder;
import it.auties.whatsapp.model.info.ChatMessageInfoBuilder;
import it.auties.whatsapp.model.jid.Jid;
import it.auties.whatsapp.model.jid.JidServer;
import it.auties.whatsapp.model.message.model.ChatMessageKeyBuilder;
import it.auties.whatsapp.model.message.model.MessageContainer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Cobalt's own model objects, built offline, mapped onto the port's records. */
class CobaltMappingTest {

    @Test
    void normalizesEveryKindOfJidAndSurvivesTheParsedServerTypeBug() {
        assertThat(CobaltMapping.normalize(Jid.of("5511999999999", JidServer.whatsapp())))
                .contains("5511999999999@s.whatsapp.net");
        // Parsed from text: Cobalt gives it an UNKNOWN server type (equal, but hashing differently).
        assertThat(CobaltMapping.normalize(Jid.of("5511999999999@s.whatsapp.net")))
                .contains("5511999999999@s.whatsapp.net");
        assertThat(CobaltMapping.normalize(Jid.of("5511999999999@c.us"))).contains("5511999999999@s.whatsapp.net");
        assertThat(CobaltMapping.normalize(Jid.of("5511999999999", JidServer.user())))
                .contains("5511999999999@s.whatsapp.net");
        assertThat(CobaltMapping.normalize(Jid.of("5511999999999", JidServer.whatsapp(), 3, 0)))
                .contains("5511999999999@s.whatsapp.net");
        assertThat(CobaltMapping.normalize(Jid.of("123456789012345", JidServer.lid())))
                .contains("123456789012345@lid");
        assertThat(CobaltMapping.normalize(Jid.of("120363012345678901@g.us"))).contains("120363012345678901@g.us");
        assertThat(CobaltMapping.normalize(Jid.of("status@broadcast"))).isEmpty();
    }

    @Test
    void mapsContactNamesOntoPushFullAndFirstName() {
        var saved = new ContactBuilder()
                .jid(Jid.of("628123456789@s.whatsapp.net"))
                .chosenName("John")
                .fullName("John Customer")
                .shortName("John")
                .build();
        var unsaved = new ContactBuilder()
                .jid(Jid.of("123456789012345", JidServer.lid()))
                .chosenName("Budi")
                .build();
        assertThat(CobaltMapping.contacts(List.of(saved, unsaved)))
                .containsExactly(
                        new ContactRecord(
                                "628123456789@s.whatsapp.net", null, "John", "John Customer", "John", null, true),
                        new ContactRecord("123456789012345@lid", null, "Budi", null, null, null, null));
    }

    @Test
    void mapsChatsWithTheirNewestTextMessageAndLidPhonePairs() {
        Jid phone = Jid.of("5521988887777@s.whatsapp.net");
        var message = new ChatMessageInfoBuilder()
                .key(new ChatMessageKeyBuilder()
                        .chatJid(phone)
                        .id("ABC")
                        .fromMe(false)
                        .build())
                .message(MessageContainer.of("Olá, tudo bem?"))
                .timestampSeconds(1_780_000_000L)
                .build();
        var chat = new ChatBuilder()
                .jid(phone)
                .name("Ana Souza")
                .unreadMessagesCount(3)
                .lid(Jid.of("100000000000001", JidServer.lid()))
                .phoneJid(phone)
                .build();
        chat.addNewMessage(message);
        assertThat(CobaltMapping.chat(chat))
                .contains(new ChatRecord(
                        "5521988887777@s.whatsapp.net",
                        "Ana Souza",
                        "Olá, tudo bem?",
                        Instant.ofEpochSecond(1_780_000_000L),
                        3));
        assertThat(CobaltMapping.mapping(chat))
                .contains(new IdentityMapping("100000000000001@lid", "5521988887777@s.whatsapp.net"));

        var group = new ChatBuilder()
                .jid(Jid.of("120363012345678901@g.us"))
                .name("Clientes VIP")
                .build();
        assertThat(CobaltMapping.chat(group))
                .contains(new ChatRecord("120363012345678901@g.us", "Clientes VIP", null, null, 0));
        assertThat(CobaltMapping.mapping(group)).isEmpty();
    }

    @Test
    void mapsTheAccountFromTheStore() {
        Store store = Store.of(UUID.randomUUID(), null, List.of(), ClientType.WEB);
        store.setJid(Jid.of("5511912345678", JidServer.whatsapp(), 12, 0));
        store.setLid(Jid.of("987654321098765", JidServer.lid()));
        store.setName("Loja Jakarta");
        var account = CobaltMapping.account(store).orElseThrow();
        assertThat(account.phoneJid()).isEqualTo("5511912345678@s.whatsapp.net");
        assertThat(account.lidJid()).isEqualTo("987654321098765@lid");
        assertThat(account.pushName()).isEqualTo("Loja Jakarta");
    }

    @Test
    void historySyncMediaSupportLoadsWithoutAsposeWords() throws Exception {
        // With com.aspose:aspose-words excluded, this class fails verification unless the stand-ins exist.
        Class.forName("it.auties.whatsapp.util.Medias", true, getClass().getClassLoader());
    }
}
