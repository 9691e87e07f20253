package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the API makes of an identifier a client sent (the kind decides the error a wrong one gets). */
class JidsTest {

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                "+55 11 98888-7777, PHONE, 5511988887777@s.whatsapp.net",
                "5511988887777@c.us, PN, 5511988887777@s.whatsapp.net",
                "123456789012345@lid, LID, 123456789012345@lid",
                "120363012345678901@G.US, GROUP, 120363012345678901@g.us",
                "+0 11 98888 7777, INVALID, null",
                "12345, INVALID, null",
                "status@broadcast, INVALID, null",
                "null, INVALID, null",
            })
    void classifiesWhatAClientSent(String input, Jids.Kind kind, String jid) {
        assertThat(Jids.parse(input)).isEqualTo(new Jids.Parsed(kind, jid));
    }

    @ParameterizedTest
    @CsvSource({
        "5511988887777@s.whatsapp.net, 5511988887777",
        "123456789012345@lid, ''",
        "120363012345678901@g.us, ''",
    })
    void readsThePhoneOfAPhoneNumberJidOnly(String jid, String phone) {
        assertThat(Jids.phoneOf(jid).orElse("")).isEqualTo(phone);
    }
}
