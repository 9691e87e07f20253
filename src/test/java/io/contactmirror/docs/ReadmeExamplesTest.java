package io.contactmirror.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.ContactMirrorApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs every {@code bash} block of the README that calls {@code curl}, in order, against a freshly started service
 * with default settings (only the database is throw-away), so the README's examples stay true. A block preceded by
 * {@value #MANUAL} is skipped (it needs a real phone).
 */
@ExtendWith(OutputCaptureExtension.class)
class ReadmeExamplesTest {

    static final String MANUAL = "<!-- manual: needs a real phone, not run by ReadmeExamplesTest -->";
    private static final Pattern BLOCK =
            Pattern.compile("(?m)^(<!--[^\\n]*-->\\n)?```bash\\n(.*?)^```", Pattern.DOTALL);
    // Plain text or, when an earlier test left structured logging on, JSON with escaped line breaks.
    private static final Pattern TOKEN = Pattern.compile("is shown only this once:(?:\\s|\\\\n)+([0-9a-f-]{36})");

    @TempDir
    Path workDirectory;

    record Block(String code, boolean manual) {}

    static List<Block> bashBlocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(new Block(
                    matcher.group(2),
                    MANUAL.equals(String.valueOf(matcher.group(1)).strip())));
        }
        return blocks;
    }

    @Test
    void everyCurlExampleOfTheReadmeWorksInOrderAgainstAFreshStart(CapturedOutput output) throws Exception {
        List<Block> blocks = bashBlocks(Files.readString(Path.of("README.md")));
        List<String> runnable = blocks.stream()
                .filter(block -> !block.manual() && block.code().contains("curl "))
                .map(Block::code)
                .toList();
        assertThat(runnable).as("README blocks with curl examples").hasSizeGreaterThanOrEqualTo(6);

        try (var context = new SpringApplicationBuilder(ContactMirrorApplication.class)
                .run(
                        "--server.port=0",
                        "--contactmirror.embedded-database.ephemeral=true",
                        "--contactmirror.admin.token=change-me")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            Matcher token = TOKEN.matcher(output.getOut());
            assertThat(token.find())
                    .as("the demo token is printed at the first start")
                    .isTrue();
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            // The README's first curl comes after "syncs 500 contacts within seconds".
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> jdbc.sql(
                                            "select count(*) from instances where instance_name = 'demo' and sync_state = 'SYNCED'")
                                    .query(Long.class)
                                    .single()
                            == 1);

            String script = String.join("\n", runnable)
                    .replace("http://localhost:8080", "http://localhost:" + port)
                    .replace("<printed token>", token.group(1));
            Path log = workDirectory.resolve("responses.log");
            Files.writeString(workDirectory.resolve("readme.sh"), PRELUDE + script + "\n");
            Process bash = new ProcessBuilder("bash", "readme.sh")
                    .directory(workDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDirectory.resolve("bash.out").toFile())
                    .start();
            boolean finished = bash.waitFor(180, TimeUnit.SECONDS);
            String bashOutput = Files.readString(workDirectory.resolve("bash.out"));
            String responses = Files.exists(log) ? Files.readString(log) : "";
            assertThat(finished).as("the README's examples finish").isTrue();
            assertThat(bash.exitValue())
                    .as("README examples; output:\n" + bashOutput + "\nresponses:\n" + responses)
                    .isZero();
            assertThat(responses)
                    .as("no example answers with an empty list")
                    .doesNotContain("\"count\":0,")
                    .doesNotContain("\"contacts\":[]");
            byte[] png = Files.readAllBytes(workDirectory.resolve("qr.png"));
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII))
                    .as("qr.png is a PNG")
                    .isEqualTo("PNG");
        }
    }

    /**
     * Every curl of the script goes through this function: it keeps the answer for the assertions and turns an
     * HTTP error (or a curl error) into a failed script naming the command.
     */
    private static final String PRELUDE = """
            set -euo pipefail
            curl() {
              local headers body status code=0
              headers=$(mktemp)
              body=$(mktemp)
              command curl -D "$headers" "$@" > "$body" || code=$?
              cat "$body" | tee -a responses.log
              status=$(grep -a '^HTTP/' "$headers" | tail -1 | cut -d' ' -f2)
              echo >> responses.log
              if [ "$code" -ne 0 ] || [ "${status:-0}" -ge 400 ]; then
                echo "FAILED (curl exit $code, HTTP ${status:-none}): curl $*" >&2
                return 1
              fi
            }
            """;

    @Test
    void findsTheBashBlocksAndTheManualMarker() throws IOException {
        String markdown = "text\n```bash\ncurl a\n```\n" + MANUAL + "\n```bash\ncurl b\n```\n```json\n{}\n```\n";
        assertThat(bashBlocks(markdown)).containsExactly(new Block("curl a\n", false), new Block("curl b\n", true));
    }
}
