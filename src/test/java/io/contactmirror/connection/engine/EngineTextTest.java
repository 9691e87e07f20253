package io.contactmirror.connection.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import org.junit.jupiter.api.Test;

class EngineTextTest {

    @Test
    void removesNulAndReplacesBrokenSurrogatesKeepingEverythingElse() {
        assertThat(EngineText.clean("Ana\u0000 Maria")).isEqualTo("Ana Maria");
        assertThat(EngineText.clean("cut \uD83D emoji")).isEqualTo("cut \uFFFD emoji");
        assertThat(EngineText.clean("tail \uDE00")).isEqualTo("tail \uFFFD");
        assertThat(EngineText.clean("José 😀 東京")).isEqualTo("José 😀 東京");
        assertThat(EngineText.clean(null)).isNull();
    }

    @Test
    void recordsFromEnginesArriveClean() {
        var contact =
                new ContactRecord("5511999990000@s.whatsapp.net", null, "Push\u0000", "Full \uD83D", null, null, true);
        assertThat(contact.pushName()).isEqualTo("Push");
        assertThat(contact.fullName()).isEqualTo("Full \uFFFD");
        var chat = new ChatRecord("5511999990000@s.whatsapp.net", "Na\u0000me", "hi\u0000", null, 0);
        assertThat(chat.name()).isEqualTo("Name");
        assertThat(chat.lastMessageText()).isEqualTo("hi");
    }
}
