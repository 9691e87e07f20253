package io.contactmirror.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Customers generate clients in many languages: OpenAPI Generator (the CLI of the version the build uses, copied to
 * {@code target/tools}) must generate Python, Go and TypeScript clients from the contract without a warning about it.
 * A warning the generator also prints for a minimal control document (one operation, one object) is its own, not
 * ours: the Python generator reports "Failed to get the schema name: null" for any model with a property.
 */
class ClientGenerationTest {

    static final Path CLI = Path.of("target/tools/openapi-generator-cli.jar");
    static final String BETA_NOTICE = "OpenAPI 3.1 support is still in beta";

    @ParameterizedTest
    @ValueSource(strings = {"python", "go", "typescript-fetch"})
    void generatesWithoutWarningsAboutTheContract(String generator) throws Exception {
        assertThat(CLI)
                .as("copied by the build (maven-dependency-plugin, phase generate-test-sources)")
                .exists();
        Set<String> ours = warnings(generator, ContractValidation.CONTRACT);
        Set<String> generatorsOwn = warnings(generator, control());
        ours.removeAll(generatorsOwn);
        ours.removeIf(line -> line.contains(BETA_NOTICE));
        assertThat(ours)
                .as("warnings of the %s generator about openapi/openapi.yaml", generator)
                .isEmpty();
    }

    private static Set<String> warnings(String generator, Path spec) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("client-" + generator);
        Path log = out.resolve("generator.log");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        CLI.toString(),
                        "generate",
                        "-g",
                        generator,
                        "-i",
                        spec.toString(),
                        "-o",
                        out.resolve("client").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        Set<String> warnings = new TreeSet<>();
        output.lines()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .forEach(line -> warnings.add(line.replaceFirst("^\\[[^]]*] ", "")));
        return warnings;
    }

    private static Path control() throws IOException {
        Path control = Files.createTempFile("control", ".yaml");
        Files.writeString(control, """
                openapi: 3.1.0
                info: {title: control, version: "1"}
                paths:
                  /a:
                    get:
                      operationId: getA
                      responses:
                        "200":
                          description: ok
                          content:
                            application/json:
                              schema: {$ref: "#/components/schemas/A"}
                components:
                  schemas:
                    A:
                      type: object
                      properties:
                        a: {type: string}
                """);
        return control;
    }
}
