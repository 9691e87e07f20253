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

    /**
     * The chart's Secret asks the cluster for the Secret an earlier install stored ({@code lookup}); helm-java's
     * template really asks. This stands in for the Kubernetes API: {@link #storedSecrets} is what the cluster holds.
     * Surefire points {@code KUBECONFIG} at the file written here.
     */
    static final Map<String, Map<String, String>> storedSecrets = new java.util.concurrent.ConcurrentHashMap<>();

    static com.sun.net.httpserver.HttpServer kubernetes;

    @org.junit.jupiter.api.BeforeAll
    static void startKubernetesApi() throws IOException {
        String kubeconfig = System.getenv("KUBECONFIG");
        assertThat(kubeconfig)
                .as("KUBECONFIG set by the surefire configuration in pom.xml")
                .isNotBlank();
        kubernetes = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        kubernetes.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            var secret = java.util.regex.Pattern.compile("/api/v1/namespaces/([^/]+)/secrets/([^/]+)")
                    .matcher(path);
            int status = 200;
            String body;
            if (path.equals("/api/v1")) {
                body = """
                        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                         {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""";
            } else if (secret.matches() && storedSecrets.containsKey(secret.group(1) + "/" + secret.group(2))) {
                var data = JSON.createObjectNode();
                storedSecrets
                        .get(secret.group(1) + "/" + secret.group(2))
                        .forEach((key, value) -> data.put(
                                key,
                                java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
                body = JSON.writeValueAsString(JSON.createObjectNode()
                        .put("kind", "Secret")
                        .put("apiVersion", "v1")
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                "metadata",
                                JSON.createObjectNode()
                                        .put("name", secret.group(2))
                                        .put("namespace", secret.group(1)))
                        .set("data", data));
            } else {
                status = 404;
                body = """
                        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        kubernetes.start();
        Files.createDirectories(Path.of(kubeconfig).toAbsolutePath().getParent());
        Files.writeString(
                Path.of(kubeconfig), """
                apiVersion: v1
                kind: Config
                clusters: [{name: test, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: test, user: {token: test}}]
                contexts: [{name: test, context: {cluster: test, user: test}}]
                current-context: test
                """.formatted(kubernetes.getAddress().getPort()));
    }

    @org.junit.jupiter.api.AfterAll
    static void stopKubernetesApi() {
        kubernetes.stop(0);
    }

    private static UnaryOperator<com.marcnuri.helm.TemplateCommand> with(Map<String, ?> values) {
        return command -> {
            values.forEach(command::set);
            return command;
        };
    }

    private List<JsonNode> render(Map<String, Object> values) throws IOException {
        return parse(with(values)
                .apply(new Helm(CHART)
                        .template()
                        .withName("cm")
                        .withNamespace("contacts")
                        .withKubeVersion(KUBERNETES))
                .call());
    }

    private static JsonNode find(List<JsonNode> manifests, String kind) {
        return manifests.stream()
                .filter(m -> kind.equals(m.path("kind").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
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
                Files.readString(chart.resolve("values.yaml"))
                        .replace("  url: \"\"", "  url: \"" + DATABASE + "\"")
                        .replace("sessionEncryptionKey: \"\"", "sessionEncryptionKey: \"" + KEY + "\""));
        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.getMessages())
                .noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
    }

    @Test
    void refusesToRenderWithoutAnExternalDatabase() {
        assertThatThrownBy(() -> render(Map.of()))
                .hasMessageContaining("database/url")
                .hasMessageContaining("existingSecret");
        assertThatThrownBy(() -> render(Map.of("database.url", "postgres://not-jdbc")))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void rejectsWrongValuesThroughTheSchema() {
        assertThatThrownBy(() -> render(Map.of("database.url", DATABASE, "sessionEncryptionKey", "too-short")))
                .as("a session key must be base64 of 32 bytes")
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> render(
                        Map.of("database.url", DATABASE, "ingress.enabled", true, "ingress.tls[0].hosts[0]", "x")))
                .as("an Ingress TLS entry needs its secretName")
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() ->
                        render(Map.of("database.url", DATABASE, "sessionEncryptionKey", KEY, "replicaCount", "two")))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> render(Map.of(
                        "database.url", DATABASE, "sessionEncryptionKey", KEY, "terminationGracePeriodSeconds", 5)))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(
                        () -> render(Map.of("database.url", DATABASE, "sessionEncryptionKey", KEY, "unknownKey", "x")))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void rendersAValidDefaultInstallation() throws Exception {
        List<JsonNode> manifests =
                render(Map.of("database.url", DATABASE, "database.password", "secret", "sessionEncryptionKey", KEY));
        assertThat(kinds(manifests))
                .contains(
                        "Deployment",
                        "Service",
                        "ServiceAccount",
                        "ConfigMap",
                        "Secret",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget");
        assertThat(kinds(manifests)).doesNotContain("ServiceMonitor", "NetworkPolicy");

        JsonNode deployment = find(manifests, "Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(45);
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container
                        .path("securityContext")
                        .path("readOnlyRootFilesystem")
                        .asBoolean())
                .isTrue();
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/actuator/health/liveness");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/actuator/health/readiness");
        assertThat(container.path("startupProbe").isMissingNode()).isFalse();
        assertThat(container.path("resources").path("limits").path("memory").asText())
                .isEqualTo("1Gi");
        assertThat(pod.path("volumes").get(0).path("emptyDir").isMissingNode()).isFalse();
        assertThat(find(manifests, "ConfigMap")
                        .path("data")
                        .path("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE")
                        .asText())
                .isEqualTo("30s");
        assertThat(find(manifests, "HorizontalPodAutoscaler")
                        .path("spec")
                        .path("minReplicas")
                        .asInt())
                .isGreaterThanOrEqualTo(2);

        assertThat(validate(manifests)).isZero();
    }

    @Test
    void rendersAValidInstallationWithNonDefaultValues() throws Exception {
        List<JsonNode> manifests = render(Map.of(
                "existingSecret",
                "contact-mirror-credentials",
                "autoscaling.enabled",
                false,
                "replicaCount",
                4,
                "serviceMonitor.enabled",
                true,
                "networkPolicy.enabled",
                true,
                "terminationGracePeriodSeconds",
                90,
                "config.logFormat",
                "logstash"));
        assertThat(kinds(manifests))
                .contains("ServiceMonitor", "NetworkPolicy")
                .doesNotContain("Secret", "HorizontalPodAutoscaler");
        JsonNode deployment = find(manifests, "Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(4);
        assertThat(deployment
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0)
                        .path("envFrom")
                        .toString())
                .contains("contact-mirror-credentials");
        assertThat(find(manifests, "ConfigMap")
                        .path("data")
                        .path("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE")
                        .asText())
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

    @Test
    void generatesTheAdminTokenAndSessionKeyOnlyWhenNotGivenAndKeepsTheSecretOnUninstall() throws Exception {
        JsonNode generated = find(render(Map.of("database.url", DATABASE)), "Secret");
        String token =
                generated.path("stringData").path("CONTACTMIRROR_ADMIN_TOKEN").asText();
        String key = generated
                .path("stringData")
                .path("CONTACTMIRROR_SESSIONS_ENCRYPTION_KEY")
                .asText();
        assertThat(java.util.UUID.fromString(token).version()).isEqualTo(4);
        assertThat(java.util.Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(generated
                        .path("metadata")
                        .path("annotations")
                        .path("helm.sh/resource-policy")
                        .asText())
                .isEqualTo("keep");
        // Values not given come from the Secret an earlier install stored, so re-installs and upgrades keep them.

        storedSecrets.put(
                "contacts/cm-contact-mirror",
                Map.of("CONTACTMIRROR_ADMIN_TOKEN", "stored-token", "CONTACTMIRROR_SESSIONS_ENCRYPTION_KEY", KEY));
        try {
            JsonNode reinstalled = find(render(Map.of("database.url", DATABASE)), "Secret");
            assertThat(reinstalled
                            .path("stringData")
                            .path("CONTACTMIRROR_ADMIN_TOKEN")
                            .asText())
                    .isEqualTo("stored-token");
            assertThat(reinstalled
                            .path("stringData")
                            .path("CONTACTMIRROR_SESSIONS_ENCRYPTION_KEY")
                            .asText())
                    .isEqualTo(KEY);
        } finally {
            storedSecrets.clear();
        }

        JsonNode given = find(
                render(Map.of("database.url", DATABASE, "adminToken", "op-token", "sessionEncryptionKey", KEY)),
                "Secret");
        assertThat(given.path("stringData").path("CONTACTMIRROR_ADMIN_TOKEN").asText())
                .isEqualTo("op-token");
        assertThat(given.path("stringData")
                        .path("CONTACTMIRROR_SESSIONS_ENCRYPTION_KEY")
                        .asText())
                .isEqualTo(KEY);
    }

    @Test
    void rendersTheReadmeInstallCommandExactlyIntoARunnableRelease() throws Exception {
        List<String> args = readmeHelmInstall();
        assertThat(args.subList(0, 3)).containsExactly("install", "contact-mirror", "./helm/contact-mirror");
        String namespace = "default";
        Map<String, String> sets = new java.util.LinkedHashMap<>();
        for (int i = 3; i < args.size(); i++) {
            switch (args.get(i)) {
                case "-n", "--namespace" -> namespace = args.get(++i);
                case "--set" -> {
                    String[] pair = args.get(++i).split("=", 2);
                    sets.put(pair[0], pair[1]);
                }
                default ->
                    throw new AssertionError("the chart test does not know the README's helm flag " + args.get(i));
            }
        }
        List<JsonNode> manifests = parse(with(sets)
                .apply(new Helm(Path.of(args.get(2)))
                        .template()
                        .withName(args.get(1))
                        .withNamespace(namespace)
                        .withKubeVersion(KUBERNETES))
                .call());

        JsonNode container = find(manifests, "Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        String image = container.path("image").asText();
        assertThat(image)
                .as("the chart's default image is the one the README builds and pushes")
                .isEqualTo("ghcr.io/contact-mirror/contact-mirror:" + projectVersion());
        assertThat(Files.readString(Path.of("README.md"))).contains("docker push " + image + "\n");

        // The CloudNativePG example of the chart README: its app Secret and service are what the install names.
        JsonNode cluster = YAML.readTree(yamlBlockWith(Files.readString(CHART.resolve("README.md")), "kind: Cluster"));
        String clusterName = cluster.path("metadata").path("name").asText();
        assertThat(sets).containsEntry("database.existingSecret", clusterName + "-app");
        assertThat(sets.get("database.url"))
                .startsWith("jdbc:postgresql://" + clusterName + "-rw:5432/"
                        + cluster.path("spec")
                                .path("bootstrap")
                                .path("initdb")
                                .path("database")
                                .asText())
                .contains("sslmode=");
        String env = container.path("env").toString();
        assertThat(env)
                .contains("{\"name\":\"" + clusterName + "-app\",\"key\":\"username\"}")
                .contains("{\"name\":\"" + clusterName + "-app\",\"key\":\"password\"}");
        JsonNode secret = find(manifests, "Secret");
        assertThat(secret.path("stringData").path("SPRING_DATASOURCE_PASSWORD").isMissingNode())
                .isTrue();
        assertThat(secret.path("stringData")
                        .path("CONTACTMIRROR_SESSIONS_ENCRYPTION_KEY")
                        .asText())
                .isNotBlank();

        // NOTES.txt: only an install prints it; a client-side dry run renders it without a cluster.
        var install = new Helm(Path.of(args.get(2)))
                .install()
                .withName(args.get(1))
                .withNamespace(namespace)
                .withKubeVersion(KUBERNETES)
                .dryRun()
                .withDryRunOption(com.marcnuri.helm.DryRun.CLIENT)
                .clientOnly();
        sets.forEach(install::set);
        String notes = install.call().getOutput();
        assertThat(notes)
                .contains("CONTACTMIRROR_ADMIN_TOKEN")
                .contains("CONTACTMIRROR_SESSIONS_ENCRYPTION_KEY")
                .contains("get secret contact-mirror ");
        assertThat(validate(manifests)).isZero();
    }

    @Test
    void theChartReadmesCommandsAreTheOnesTested() throws Exception {
        String chartReadme = Files.readString(CHART.resolve("README.md"));
        assertThat(bashBlockWith(chartReadme, "helm install "))
                .isEqualTo(bashBlockWith(Files.readString(Path.of("README.md")), "helm install "));

        List<String> upgrade = helmArguments(CHART.resolve("README.md"), "ingress.enabled=true");
        assertThat(upgrade.subList(0, 3)).containsExactly("upgrade", "contact-mirror", "./helm/contact-mirror");
        Map<String, Object> values = new java.util.LinkedHashMap<>(Map.of("database.url", DATABASE));
        for (int i = 3; i < upgrade.size(); i++) {
            switch (upgrade.get(i)) {
                case "-n", "--namespace" -> i++;
                case "--reuse-values" -> {}
                case "--set" -> {
                    String[] pair = upgrade.get(++i).split("=", 2);
                    values.put(pair[0], pair[1].equals("true") ? Boolean.TRUE : pair[1]);
                }
                default ->
                    throw new AssertionError(
                            "the chart test does not know the chart README's helm flag " + upgrade.get(i));
            }
        }
        List<JsonNode> manifests = render(values);
        JsonNode ingress = find(manifests, "Ingress");
        assertThat(ingress.path("spec").path("tls").get(0).path("secretName").asText())
                .isEqualTo("contacts-tls");
        assertThat(ingress.path("spec").path("rules").get(0).path("host").asText())
                .isEqualTo("contacts.example.com");
        assertThat(validate(manifests)).isZero();
    }

    @Test
    void rendersAValidIngressToTheApiPortOnly() throws Exception {
        List<JsonNode> manifests = render(Map.of(
                "database.url", DATABASE,
                "ingress.enabled", true,
                "ingress.className", "nginx",
                "ingress.tls[0].secretName", "contacts-tls",
                "ingress.tls[0].hosts[0]", "contacts.example.com"));
        JsonNode ingress = find(manifests, "Ingress");
        assertThat(ingress.path("spec").path("ingressClassName").asText()).isEqualTo("nginx");
        JsonNode backend = ingress.path("spec")
                .path("rules")
                .get(0)
                .path("http")
                .path("paths")
                .get(0)
                .path("backend");
        assertThat(backend.path("service").path("port").path("name").asText()).isEqualTo("http");
        assertThat(validate(manifests)).isZero();
    }

    @Test
    void theChartReadmeDocumentsEveryTopLevelValue() throws IOException {
        String readme = Files.readString(CHART.resolve("README.md"));
        JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        List<String> undocumented = new ArrayList<>();
        values.fieldNames().forEachRemaining(key -> {
            // A table cell naming the key itself or one of its children: `image.tag`, `ingress.*`, `, `management.port`
            if (!java.util.regex.Pattern.compile("[|,/] `" + java.util.regex.Pattern.quote(key) + "[`.\\[]")
                    .matcher(readme)
                    .find()) {
                undocumented.add(key);
            }
        });
        assertThat(undocumented).isEmpty();
    }

    private List<JsonNode> parse(String rendered) throws IOException {
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

    private List<String> readmeHelmInstall() throws Exception {
        return helmArguments(Path.of("README.md"), "helm install ");
    }

    /** A README's helm command as bash expands it: run with a {@code helm} that only records its arguments. */
    private List<String> helmArguments(Path readme, String command) throws Exception {
        String block = bashBlockWith(Files.readString(readme), command);
        Path args = temp.resolve("helm-args");
        String script = "helm() { printf '%s\\0' \"$@\" > '" + args + "'; }\n" + block;
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        return List.of(Files.readString(args).split("\0"));
    }

    private static String bashBlockWith(String markdown, String marker) {
        return java.util.regex.Pattern.compile("(?s)```bash\\n(.*?)```")
                .matcher(markdown)
                .results()
                .map(match -> match.group(1))
                .filter(code -> code.contains(marker))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bash block with " + marker));
    }

    private static String yamlBlockWith(String markdown, String marker) {
        return java.util.regex.Pattern.compile("(?s)```yaml\\n(.*?)```")
                .matcher(markdown)
                .results()
                .map(match -> match.group(1))
                .filter(code -> code.contains(marker))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no yaml block with " + marker));
    }

    private static String projectVersion() throws IOException {
        var matcher = java.util.regex.Pattern.compile(
                        "<artifactId>contact-mirror</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
