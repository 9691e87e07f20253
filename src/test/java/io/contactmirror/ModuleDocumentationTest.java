package io.contactmirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.util.FileSystemUtils;

/**
 * The committed module documentation (docs/modules: component diagrams and a canvas per module, written by
 * Modulith's {@link Documenter}) is what the code says now. Refresh it with
 * {@code ./mvnw -B -q test -Dtest=ModuleDocumentationTest -Dmodules.docs.update=true}.
 */
class ModuleDocumentationTest {

    private static final Path COMMITTED = Path.of("docs/modules");

    @Test
    void committedModuleDocsAreCurrent(@TempDir Path generated) throws IOException {
        new Documenter(ApplicationModules.of(ContactMirrorApplication.class), generated.toString())
                .writeDocumentation();

        Map<String, String> expected = contents(generated);
        if (Boolean.getBoolean("modules.docs.update")) {
            FileSystemUtils.deleteRecursively(COMMITTED);
            for (var file : expected.entrySet()) {
                Path target = COMMITTED.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
        }
        assertThat(expected).as("Documenter wrote diagrams and canvases").isNotEmpty();
        assertThat(contents(COMMITTED))
                .as("docs/modules is stale: refresh with ./mvnw -B -q test -Dtest=ModuleDocumentationTest "
                        + "-Dmodules.docs.update=true")
                .isEqualTo(expected);
    }

    /** Documenter writes a diagram's relations in hash order: sorted, equal diagrams read the same. */
    private static String stableOrder(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int start = 0;
        while (start < lines.size()) {
            int end = start;
            while (end < lines.size() && lines.get(end).startsWith("Rel(")) {
                end++;
            }
            Collections.sort(lines.subList(start, end));
            start = end + 1;
        }
        return String.join("\n", lines) + "\n";
    }

    private static Map<String, String> contents(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(file).toString(), stableOrder(Files.readString(file)));
            }
        }
        return files;
    }
}
