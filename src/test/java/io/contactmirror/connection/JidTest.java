package io.contactmirror.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing WhatsApp identifiers once, at the edge, and the canonical phone keys: plain values, no Spring. */
class JidTest {

    @ParameterizedTest
    @CsvSource({
        "5511999999999@s.whatsapp.net, 5511999999999@s.whatsapp.net, PHONE_NUMBER",
        "5511999999999@c.us, 5511999999999@s.whatsapp.net, PHONE_NUMBER",
        "5511999999999:12@s.whatsapp.net, 5511999999999@s.whatsapp.net, PHONE_NUMBER",
        "' 5511999999999@S.WHATSAPP.NET ', 5511999999999@s.whatsapp.net, PHONE_NUMBER",
        "123456789012345@lid, 123456789012345@lid, LID",
        "123456789012345:3@lid, 123456789012345@lid, LID",
        "120363012345678901@g.us, 120363012345678901@g.us, GROUP",
        "5511999999999-1600000000@g.us, 5511999999999-1600000000@g.us, GROUP",
        "120363012345678901:4@g.us, 120363012345678901@g.us, GROUP",
    })
    void parsesAndNormalizesJids(String text, String normalized, Jid.Type type) {
        var jid = Jid.parse(text).orElseThrow();
        assertThat(jid).hasToString(normalized);
        assertThat(jid.type()).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "status@broadcast",
                "120363000000000000@newsletter",
                "123456@s.whatsapp.net",
                "1234567890123456@s.whatsapp.net",
                "abc@s.whatsapp.net",
                "abc@lid",
                "5511999999999",
                "@s.whatsapp.net",
                "",
            })
    void refusesWhatTheMirrorDoesNotKeep(String text) {
        assertThat(Jid.parse(text)).isEmpty();
    }

    @Test
    void refusesNull() {
        assertThat(Jid.parse(null)).isEmpty();
        assertThat(Jid.phoneNumber(null)).isEmpty();
        assertThat(Jid.of(null, "lid")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "+55 (11) 98888-7777, 5511988887777",
        "5511988887777, 5511988887777",
        "+1 415.555.0100, 14155550100",
        "+49 151 12345678, 4915112345678",
        "+52 1 55 1234 5678, 5215512345678",
        "3456 789, 3456789",
    })
    void readsTypedPhoneNumbers(String input, String digits) {
        var jid = Jid.phoneNumber(input).orElseThrow();
        assertThat(jid.isPhoneNumber()).isTrue();
        assertThat(jid.phone()).contains(digits);
        assertThat(jid).hasToString(digits + "@s.whatsapp.net");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // 0 and 28x are no country calling code (libphonenumber's metadata)
                "+0 11 98888 7777",
                "+280 1234 5678",
                "123456",
                "99999999999999999999",
                "+55 11 9888a7777",
                "5511988887777@s.whatsapp.net",
            })
    void refusesWhatIsNoPhoneNumber(String input) {
        assertThat(Jid.phoneNumber(input)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        // Brazil: mobiles (subscriber starts 6-9) without the ninth digit get it; with it, unchanged
        "551188887777, 5511988887777",
        "5511988887777, 5511988887777",
        "552166665555, 5521966665555",
        // Brazil: landlines (subscriber starts 2-5) have no ninth digit and stay distinct
        "551133334444, 551133334444",
        "551155554444, 551155554444",
        // Mexico: the pre-2019 mobile form 52 1 + 10 digits is the same person as 52 + 10 digits
        "5215512345678, 525512345678",
        "525512345678, 525512345678",
        "5213312345678, 523312345678",
        // Argentina: 54 + 10 digits is the same person as WhatsApp's mobile form 54 9 + 10 digits
        "541112345678, 5491112345678",
        "5491112345678, 5491112345678",
        "543514567890, 5493514567890",
        // other countries and other lengths are left alone
        "14155550100, 14155550100",
        "4915112345678, 4915112345678",
        "52551234567, 52551234567",
        "5411123456, 5411123456",
    })
    void keysEachPhoneNumberInOneCanonicalForm(String digits, String key) {
        assertThat(Jid.phoneKey(digits)).isEqualTo(key);
    }

    @Test
    void bothFormsOfOnePersonMeetOnOneKey() {
        assertThat(Jid.parse("5215512345678@s.whatsapp.net").orElseThrow().phoneKey())
                .isEqualTo(
                        Jid.parse("525512345678@s.whatsapp.net").orElseThrow().phoneKey());
        assertThat(Jid.parse("541112345678@c.us").orElseThrow().phoneKey())
                .isEqualTo(
                        Jid.parse("5491112345678@s.whatsapp.net").orElseThrow().phoneKey());
        assertThat(Jid.parse("551188887777@s.whatsapp.net").orElseThrow().phoneKey())
                .isEqualTo(
                        Jid.parse("5511988887777@s.whatsapp.net").orElseThrow().phoneKey());
    }

    @Test
    void aLidOrGroupHasNoPhoneNumber() {
        assertThat(Jid.parse("123456789012345@lid").orElseThrow().phoneKey()).isEmpty();
        assertThat(Jid.parse("120363012345678901@g.us").orElseThrow().phone()).isEmpty();
    }

    @Test
    void cannotBeBuiltInvalid() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Jid(Jid.Type.PHONE_NUMBER, "123"));
        assertThatIllegalArgumentException().isThrownBy(() -> new Jid(Jid.Type.LID, "12a"));
        assertThatIllegalArgumentException().isThrownBy(() -> new Jid(Jid.Type.GROUP, ""));
    }
}
