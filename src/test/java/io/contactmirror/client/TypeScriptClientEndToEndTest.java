package io.contactmirror.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Runs {@code src/test/typescript/e2e.ts} (compiled by the build with strict TypeScript against the typescript-fetch
 * client generated from the contract) with Node against the started service. The script must call every operation
 * of the contract, and every response it gets must match the contract.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(ContractValidation.class)
class TypeScriptClientEndToEndTest {

    static final Path SCRIPT = Path.of("target/typescript-e2e/src/test/typescript/e2e.js");

    @LocalServerPort
    int port;

    @Autowired
    ContractValidation contract;

    @Test
    void typescriptClientCallsEveryOperationAndGetsWhatTheContractPromises() throws Exception {
        assertThat(SCRIPT)
                .as("compiled by the build (exec typescript-compile, phase process-test-classes); run ./mvnw verify")
                .exists();
        Map<String, Integer> before = contract.checkedOperations();

        Path log = Files.createTempFile("typescript-e2e", ".log");
        ProcessBuilder node = new ProcessBuilder("node", SCRIPT.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        node.environment().put("BASE_URL", "http://localhost:" + port);
        node.environment().put("OPERATOR_TOKEN", "test-operator-token");
        Process process = node.start();
        boolean finished = process.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished)
                .as("the script finished within 4 minutes:%n%s", output)
                .isTrue();
        assertThat(process.exitValue())
                .as("the script's exit code:%n%s", output)
                .isZero();

        assertThat(contract.violations())
                .as("responses that do not match openapi/openapi.yaml")
                .isEmpty();
        Map<String, Integer> after = contract.checkedOperations();
        Set<String> called = new TreeSet<>();
        after.forEach((operation, count) -> {
            if (count > before.getOrDefault(operation, 0)) {
                called.add(operation);
            }
        });
        assertThat(called).as("operations the TypeScript client called").containsAll(operationsOfTheContract());
    }

    private static Set<String> operationsOfTheContract() {
        JsonNode paths = YAMLMapper.builder()
                .build()
                .readTree(ContractValidation.CONTRACT.toFile())
                .get("paths");
        Set<String> operations = new TreeSet<>();
        Map<String, JsonNode> byPath = new HashMap<>();
        paths.properties().forEach(entry -> byPath.put(entry.getKey(), entry.getValue()));
        byPath.forEach((path, item) ->
                item.propertyNames().forEach(method -> operations.add(method.toUpperCase() + " " + path)));
        return operations;
    }
}
