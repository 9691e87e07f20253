package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

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
    void escapesLikeWildcardsSoTheyMatchThemselves() {
        assertThat(SearchText.likeLiteral("50%_off\\")).isEqualTo("50\\%\\_off\\\\");
    }
}
