package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Search folding: what a query and a stored name are reduced to before {@code LIKE} compares them. */
class SearchTextTest {

    @ParameterizedTest
    @CsvSource({
        "José Conceição, jose conceicao",
        "MÜLLER, muller",
        "Straße, strasse",
        "Søren Łukasz Đorđe, soren lukasz dorde",
        "Ångström, angstrom",
        // compatibility forms: full-width letters and ligatures become their plain letters
        "ＡＢＣ, abc",
        "ﬁle, file",
        // other scripts keep their letters, lower-cased where the script has case
        "ΑΘΗΝΑ, αθηνα",
        "Москва, москва",
        "東京, 東京",
    })
    void foldsCaseAndAccentsInEveryScript(String text, String folded) {
        assertThat(SearchText.fold(text)).isEqualTo(folded);
    }

    @Test
    void foldsNothingToEmpty() {
        assertThat(SearchText.fold(null)).isEmpty();
        assertThat(SearchText.fold("")).isEmpty();
    }

    @Test
    void joinsTheNonBlankPartsFolded() {
        assertThat(SearchText.of("Zoë", null, " ", "5511988887777")).isEqualTo("zoe 5511988887777");
    }

    @Test
    void keepsEachNameOnceWhereAnotherPartAlreadyContainsIt() {
        assertThat(SearchText.of("Agus", "Agus Pratama", "Agus", "Agus Pratama GmbH", "Agus Pratama", "6285850000325"))
                .isEqualTo("agus pratama gmbh 6285850000325");
        assertThat(SearchText.of("Zoë", "ZOE", "100000000001742", "100000000001742"))
                .isEqualTo("zoe 100000000001742");
        assertThat(SearchText.of("Ana", "Mariana", "5511988887777")).isEqualTo("mariana 5511988887777");
    }

    @Test
    void escapesLikeWildcardsSoTheyMatchThemselves() {
        assertThat(SearchText.likeLiteral("50%_off\\")).isEqualTo("50\\%\\_off\\\\");
    }

    /** The definition the fast paths must keep: NFKD, every \p{M} removed, lower case, a few letters spelled out. */
    private static String reference(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT)
                .replace('ø', 'o')
                .replace('đ', 'd')
                .replace('ł', 'l')
                .replace("ß", "ss");
    }

    @Test
    void foldsAccentsCaseAndEveryScriptLikeTheDefinition() {
        String[] samples = {
            "João Conceição",
            "JÜRGEN Weiß",
            "Íñigo Núñez",
            "प्रिया शर्मा",
            "Иван Петрова",
            "محمد القحطاني",
            "李伟",
            "さくら 佐藤",
            "Łukasz Đoković Søren",
            "ﬁancé ①",
            "Ăn 𝔸𝔹",
            "O'Brien",
            "plain ascii 123",
            ""
        };
        for (String sample : samples) {
            assertThat(SearchText.fold(sample)).as(sample).isEqualTo(reference(sample));
        }
        assertThat(SearchText.fold("Conceição")).isEqualTo("conceicao");
    }

    @Test
    void foldsRandomTextLikeTheDefinition() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(12); j > 0; j--) {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x3000));
            }
            String sample = text.toString();
            assertThat(SearchText.fold(sample)).as(sample).isEqualTo(reference(sample));
        }
    }
}
