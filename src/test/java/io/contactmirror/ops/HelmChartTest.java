package io.contactmirror.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * The Helm chart without a cluster: {@code helm lint --strict}, {@code helm template} with default and non-default
 * values, and every rendered manifest validated against the Kubernetes schemas (Node, kubernetes-models).
 */
class HelmChartTest {

    static final Path CHART = Path.of("helm/contact-mirror");
    static final String KUBERNETES = "1.31.0";
    static final String KEY = "9PZZ00+eoLO8CkcH0z6izhhvD7eGtenmcH/zNAtrz00=";
    static final String DATABASE = "jdbc:postgresql://contact-mirror-db-rw:5432/contactmirror";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private static UnaryOperator<com.marcnuri.helm.TemplateCommand> with(Map<String, Object> values) {
        return command -> {
            values.forEach(command::set);
            return command;
        };
    }

    private List<JsonNode> render(Map<String, Object> values) throws IOException {
        String rendered = with(values).apply(new Helm(CHART).template().withName("cm").withNamespace("contacts").withKubeVersion(KUBERNETES)).call();
        List<JsonNode> manifests = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(rendered)) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                JsonNode manifest = iterator.next();
                if (manifest != null && !manifest.isEmpty()) {
                    manifests.add(manifest);
                }
            }
        }
        return manifests;
    }

    private static JsonNode find(List<JsonNode> manifests, String kind) {
        return manifests.stream().filter(m -> kind.equals(m.path("kind").asText())).findFirst().orElseThrow(
                () -> new AssertionError("no " + kind + " rendered"));
    }

    private static List<String> kinds(List<JsonNode> manifests) {
        return manifests.stream().map(m -> m.path("kind").asText()).toList();
    }

    private int validate(List<JsonNode> manifests) throws Exception {
        Path file = temp.resolve("manifests-" + System.nanoTime() + ".json");
        ArrayNode array = JSON.createArrayNode();
        manifests.forEach(array::add);
        Files.writeString(file, JSON.writeValueAsString(array), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder("node", "src/test/node/validate-manifests.mjs", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println(output);
        return process.exitValue();
    }

    @Test
    void lintsStrictlyWithADatabaseConfigured() throws IOException {
        // helm lint renders with values.yaml, and the chart rightly refuses to render without a database.
        Path chart = temp.resolve("contact-mirror");
        FileSystemUtils.copyRecursively(CHART, chart);
        Files.writeString(
                chart.resolve("values.yaml"),
                Files.readString(chart.resolve("values.yaml")).replace("  url: \"\"", "  url: \"" + DATABASE + "\"")
                        .replace("sessionEncryptionKey: \"\"", "sessionEncryptionKey: \"" + KEY + "\""));
        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.getMessages()).noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void refusesToRenderWithoutAnExternalDatabase() {
        assertThatThrownBy(() -> render(Map.of())).hasMessageContaining("database/url").hasMessageContaining("existingSecret");
        assertThatThrownBy(() -> render(Map.of("database.url", "postgres://not-jdbc"))).isInstanceOf(RuntimeException.class);
    }

    @Test
    void rejectsWrongValuesThroughTheSchema() {
        assertThatThrownBy(() -> render(Map.of("database.url", DATABASE)))
                .as("an external database needs the session encryption key")
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> render(Map.of("database.url", DATABASE, "sessionEncryptionKey", KEY, "replicaCount", "two")))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> render(Map.of("database.url", DATABASE, "sessionEncryptionKey", KEY, "terminationGracePeriodSeconds", 5)))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> render(Map.of("database.url", DATABASE, "sessionEncryptionKey", KEY, "unknownKey", "x")))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void rendersAValidDefaultInstallation() throws Exception {
        List<JsonNode> manifests = render(Map.of("database.url", DATABASE, "database.password", "secret", "sessionEncryptionKey", KEY));
        assertThat(kinds(manifests)).contains(
                "Deployment", "Service", "ServiceAccount", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget");
        assertThat(kinds(manifests)).doesNotContain("ServiceMonitor", "NetworkPolicy");

        JsonNode deployment = find(manifests, "Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(45);
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(container.path("startupProbe").isMissingNode()).isFalse();
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("1Gi");
        assertThat(pod.path("volumes").get(0).path("emptyDir").isMissingNode()).isFalse();
        assertThat(find(manifests, "ConfigMap").path("data").path("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE").asText())
                .isEqualTo("30s");
        assertThat(find(manifests, "HorizontalPodAutoscaler").path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);

        assertThat(validate(manifests)).isZero();
    }

    @Test
    void rendersAValidInstallationWithNonDefaultValues() throws Exception {
        List<JsonNode> manifests = render(Map.of(
                "existingSecret", "contact-mirror-credentials",
                "autoscaling.enabled", false,
                "replicaCount", 4,
                "serviceMonitor.enabled", true,
                "networkPolicy.enabled", true,
                "terminationGracePeriodSeconds", 90,
                "config.logFormat", "logstash"));
        assertThat(kinds(manifests)).contains("ServiceMonitor", "NetworkPolicy").doesNotContain("Secret", "HorizontalPodAutoscaler");
        JsonNode deployment = find(manifests, "Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(4);
        assertThat(deployment.path("spec").path("template").path("spec").path("containers").get(0).path("envFrom").toString())
                .contains("contact-mirror-credentials");
        assertThat(find(manifests, "ConfigMap").path("data").path("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE").asText())
                .isEqualTo("75s");
        assertThat(validate(manifests)).isZero();
    }

    @Test
    void theValidatorRejectsABrokenManifest() throws Exception {
        JsonNode broken = JSON.readTree("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "broken"},
                 "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}}""");
        assertThat(validate(List.of(broken))).isNotZero();
    }
}
