package io.contactmirror.connection.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxAccountTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 7, 42, 43, 1_000})
    void groupsOfOneAccountHaveDistinctNames(long seed) {
        var account = new SandboxAccount(seed, 500, 12);

        Set<String> names = IntStream.range(0, 12)
                .mapToObj(i -> account.group(i).chat().name())
                .collect(Collectors.toSet());

        assertThat(names).hasSize(12);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 42})
    void groupsOfOneAccountDifferInSize(long seed) {
        var account = new SandboxAccount(seed, 500, 8);

        Set<Integer> sizes = IntStream.range(0, 8)
                .mapToObj(i -> account.group(i).participants().size())
                .collect(Collectors.toSet());

        assertThat(sizes).hasSizeGreaterThan(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 42})
    void theSameSeedGivesTheSameGroups(long seed) {
        assertThat(new SandboxAccount(seed, 500, 6).group(3)).isEqualTo(new SandboxAccount(seed, 500, 6).group(3));
    }
}
