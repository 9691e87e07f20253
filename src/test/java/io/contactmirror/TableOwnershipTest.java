package io.contactmirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One owner per table: every SQL write in the main sources ({@code INSERT INTO}, {@code UPDATE}, {@code DELETE FROM})
 * is made by the module that owns the table, as each module's {@code package-info.java} states. Another module
 * reaches a table through its owner's API. The one shared table is {@code instances}: {@code instance} creates and
 * names its rows, {@code connection} writes all their state and deletes them.
 */
class TableOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java/io/contactmirror");
    private static final Pattern WRITE = Pattern.compile("\\b(INSERT INTO|UPDATE|DELETE FROM)\\s+([a-z_]+)\\b");

    @Test
    void eachTableIsWrittenByTheModuleThatOwnsIt() throws IOException {
        Map<String, TreeSet<String>> writers = writers();
        assertThat(writers.get("instances"))
                .containsExactlyInAnyOrder("instance:INSERT", "connection:UPDATE", "connection:DELETE");
        assertThat(writers.get("changes")).allMatch(writer -> writer.startsWith("changelog:"));
        assertThat(writers.get("contacts")).allMatch(writer -> writer.startsWith("contact:"));
        writers.forEach((table, writes) -> {
            if (!table.equals("instances")) {
                assertThat(writes.stream().map(TableOwnershipTest::module).distinct())
                        .as("modules writing %s: %s", table, writes)
                        .hasSize(1);
            }
        });
    }

    private static String module(String write) {
        return write.substring(0, write.indexOf(':'));
    }

    /** Table → {@code module:STATEMENT} of every write in the main sources. */
    private static Map<String, TreeSet<String>> writers() throws IOException {
        Map<String, TreeSet<String>> writers = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file :
                    files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue;
                }
                String module = relative.getName(0).toString();
                Matcher write = WRITE.matcher(Files.readString(file));
                while (write.find()) {
                    // "ON CONFLICT … DO UPDATE SET" updates the table its INSERT names.
                    if (!write.group(2).equals("SET")) {
                        writers.computeIfAbsent(write.group(2), table -> new TreeSet<>())
                                .add(module + ":" + write.group(1).split(" ")[0]);
                    }
                }
            }
        }
        return writers;
    }
}
