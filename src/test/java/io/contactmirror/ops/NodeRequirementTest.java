package io.contactmirror.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One Node.js minimum everywhere: the README states it, the build's check enforces it, and every package of every
 * npm lockfile of the build accepts it (a lockfile that needs a newer Node would break {@code npm ci} on it).
 */
class NodeRequirementTest {

    static final ObjectMapper JSON = new ObjectMapper();

    private static int[] readmeMinimum() throws IOException {
        Matcher matcher = Pattern.compile("\\*\\*Node\\.js (\\d+)\\.(\\d+) or newer\\*\\*")
                .matcher(Files.readString(Path.of("README.md")));
        assertThat(matcher.find()).as("README states the Node.js minimum").isTrue();
        return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), 0};
    }

    @Test
    void everyLockedPackageRunsOnTheReadmesMinimum() throws IOException {
        int[] minimum = readmeMinimum();
        List<Path> lockfiles;
        try (Stream<Path> files = Files.walk(Path.of("src/test"))) {
            lockfiles = files.filter(file -> file.getFileName().toString().equals("package-lock.json"))
                    .filter(file -> !file.toString().contains("node_modules"))
                    .toList();
        }
        assertThat(lockfiles).isNotEmpty();
        List<String> refusing = new ArrayList<>();
        for (Path lockfile : lockfiles) {
            JsonNode packages = JSON.readTree(lockfile.toFile()).path("packages");
            packages.fieldNames().forEachRemaining(name -> {
                String range = packages.path(name).path("engines").path("node").asText("");
                if (!range.isBlank() && !satisfies(minimum, range)) {
                    refusing.add(lockfile + ": " + (name.isEmpty() ? "(root)" : name) + " needs node " + range);
                }
            });
        }
        assertThat(refusing).isEmpty();
    }

    @Test
    void theBuildsCheckAcceptsExactlyTheReadmesMinimumAndNewer() throws IOException {
        int[] minimum = readmeMinimum();
        Matcher matcher = Pattern.compile("<matches string=\"\\$\\{node.found}\" pattern=\"([^\"]+)\"/>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(matcher.find()).as("the node-check in pom.xml").isTrue();
        Pattern check = Pattern.compile(matcher.group(1));
        String at = "v" + minimum[0] + "." + minimum[1] + ".0";
        String below = "v" + minimum[0] + "." + (minimum[1] - 1) + ".9";
        assertThat(check.matcher(at).find()).as(at).isTrue();
        assertThat(check.matcher(below).find()).as(below).isFalse();
        assertThat(check.matcher("v18.20.4").find()).isFalse();
        assertThat(check.matcher("v22.11.0").find()).isTrue();
        assertThat(check.matcher("v24.1.0").find()).isTrue();
        assertThat(check.matcher("v100.0.0").find()).isFalse();
    }

    @Test
    void theRangeCheckUnderstandsTheLockfilesNotations() {
        int[] v20 = {20, 17, 0};
        assertThat(satisfies(v20, "^16.20 || ^18.18 || >= 20.17")).isTrue();
        assertThat(satisfies(v20, ">=22")).isFalse();
        assertThat(satisfies(v20, ">= 20.16.0")).isTrue();
        assertThat(satisfies(v20, "6.* || 8.* || >= 10.*")).isTrue();
        assertThat(satisfies(v20, "4.x || >=6.0.0")).isTrue();
        assertThat(satisfies(v20, "^8.16.0 || ^10.6.0 || >=11.0.0")).isTrue();
        assertThat(satisfies(v20, "*")).isTrue();
        assertThat(satisfies(v20, "^20.19")).isFalse();
        assertThat(satisfies(v20, ">=14 <20")).isFalse();
        assertThat(satisfies(v20, "~20.17.0")).isTrue();
        assertThat(satisfies(v20, "22")).isFalse();
    }

    /** Whether a version satisfies an npm semver range (the subset npm's engines fields use). */
    static boolean satisfies(int[] version, String range) {
        for (String alternative : range.split("\\|\\|")) {
            String normalized = alternative.strip().replaceAll("(>=|<=|>|<|=|\\^|~)\\s+", "$1");
            boolean all = true;
            for (String comparator : normalized.isEmpty() ? new String[] {"*"} : normalized.split("\\s+")) {
                all &= matches(version, comparator);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(int[] version, String comparator) {
        Matcher m = Pattern.compile("(>=|<=|>|<|=|\\^|~)?v?(\\d+|[x*])?(?:\\.(\\d+|[x*]))?(?:\\.(\\d+|[x*]))?")
                .matcher(comparator);
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown engines notation: " + comparator);
        }
        String op = m.group(1) == null ? "" : m.group(1);
        int given = 0;
        int[] bound = new int[3];
        for (int i = 0; i < 3; i++) {
            String part = m.group(i + 2);
            if (part == null || part.equals("x") || part.equals("*")) {
                break;
            }
            bound[i] = Integer.parseInt(part);
            given++;
        }
        int cmp = compare(version, bound);
        return switch (op) {
            case ">=" -> cmp >= 0;
            case ">" -> given == 0 ? true : cmp > 0 && !withinPrefix(version, bound, given);
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0 || withinPrefix(version, bound, given);
            case "^" -> cmp >= 0 && (bound[0] > 0 || given == 1 ? version[0] == bound[0] : version[1] == bound[1]);
            case "~" -> cmp >= 0 && version[0] == bound[0] && (given < 2 || version[1] == bound[1]);
            default -> withinPrefix(version, bound, given);
        };
    }

    private static boolean withinPrefix(int[] version, int[] bound, int given) {
        for (int i = 0; i < given; i++) {
            if (version[i] != bound[i]) {
                return false;
            }
        }
        return true;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
