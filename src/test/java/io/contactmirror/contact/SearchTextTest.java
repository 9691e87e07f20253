package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchTextTest {

    /** The definition the fast paths must keep: NFKD, every \p{M} removed, lower case, a few letters spelled out. */
    private static String reference(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT)
                .replace('ø', 'o').replace('đ', 'd').replace('ł', 'l').replace("ß", "ss");
    }

    @Test
    void foldsAccentsCaseAndEveryScriptLikeTheDefinition() {
        String[] samples = {"João Conceição", "JÜRGEN Weiß", "Íñigo Núñez", "प्रिया शर्मा", "Иван Петрова", "محمد القحطاني",
            "李伟", "さくら 佐藤", "Łukasz Đoković Søren", "ﬁancé ①", "Ăn 𝔸𝔹", "O'Brien", "plain ascii 123", ""};
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
