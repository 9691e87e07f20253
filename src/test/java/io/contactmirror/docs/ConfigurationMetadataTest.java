package io.contactmirror.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's settings table and the settings the code binds are the same list: the configuration processor's
 * metadata (from the {@code @ConfigurationProperties} records) against the
 * table's {@code contactmirror.*} rows, both ways.
 */
class ConfigurationMetadataTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(contactmirror\\.[a-z0-9.-]+)`");

    @Test
    void everySettingIsInTheReadmeTableAndEveryRowIsASetting() throws IOException {
        Set<String> bound = boundSettings();
        Set<String> documented = readmeRows();

        assertThat(bound).as("settings the code binds").isNotEmpty().contains("contactmirror.tokens.cache-ttl");
        assertThat(documented)
                .as("README rows (add a row for each missing setting)")
                .containsAll(bound);
        assertThat(bound)
                .as("bound settings (remove or fix README rows naming no setting)")
                .containsAll(documented);
    }

    private static Set<String> boundSettings() throws IOException {
        try (InputStream metadata =
                ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata)
                    .as("metadata written by spring-boot-configuration-processor")
                    .isNotNull();
            JsonNode properties =
                    JsonMapper.builder().build().readTree(metadata).get("properties");
            Set<String> names = new TreeSet<>();
            StreamSupport.stream(properties.spliterator(), false)
                    .map(property -> property.get("name").asString())
                    .filter(name -> name.startsWith("contactmirror."))
                    .forEach(names::add);
            return names;
        }
    }

    private static Set<String> readmeRows() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                names.add(row.group(1));
            }
        }
        return names;
    }
}
