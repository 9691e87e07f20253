package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code customData} merge patch against the test vectors of RFC 7386, Appendix A. */
class MergePatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"a\":\"b\"}                | {\"a\":\"c\"}                    | {\"a\":\"c\"}",
                "{\"a\":\"b\"}                | {\"b\":\"c\"}                    | {\"a\":\"b\",\"b\":\"c\"}",
                "{\"a\":\"b\"}                | {\"a\":null}                     | {}",
                "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}                     | {\"b\":\"c\"}",
                "{\"a\":[\"b\"]}              | {\"a\":\"c\"}                    | {\"a\":\"c\"}",
                "{\"a\":\"c\"}                | {\"a\":[\"b\"]}                  | {\"a\":[\"b\"]}",
                "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
                "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                      | {\"a\":[1]}",
                "[\"a\",\"b\"]                | [\"c\",\"d\"]                    | [\"c\",\"d\"]",
                "{\"a\":\"b\"}                | [\"c\"]                          | [\"c\"]",
                "{\"a\":\"foo\"}              | \"bar\"                          | \"bar\"",
                "{\"e\":null}                 | {\"a\":1}                        | {\"e\":null,\"a\":1}",
                "[1,2]                        | {\"a\":\"b\",\"c\":null}         | {\"a\":\"b\"}",
                "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}}  | {\"a\":{\"bb\":{}}}",
            })
    void appliesTheRfcTestVectors(String original, String patch, String result) {
        assertThat(CrmEdits.mergePatch(json(original), json(patch))).isEqualTo(json(result));
    }

    @Test
    void leavesTheOriginalUntouched() {
        JsonNode original = json("{\"a\":{\"b\":\"c\"}}");
        CrmEdits.mergePatch(original, json("{\"a\":{\"b\":\"d\"}}"));
        assertThat(original).isEqualTo(json("{\"a\":{\"b\":\"c\"}}"));
    }

    /**
     * The one vector where we differ on purpose: RFC 7386 turns {@code {"a":"foo"}} patched with {@code null} into
     * {@code null}; {@code customData} is never null (the column is {@code NOT NULL}), so it becomes {@code {}}.
     */
    @Test
    void aNullPatchClearsToAnEmptyObject() {
        assertThat(CrmEdits.mergePatch(json("{\"a\":\"foo\"}"), json("null"))).isEqualTo(json("{}"));
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
