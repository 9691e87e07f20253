package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The contacts benchmark runs end to end on a tiny data set: wrk (installed when missing; the test fails when it
 * cannot be), pgbench, every scenario. Checks that it works, not how fast.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(
        properties = {"contactmirror.rate-limit.requests-per-second=0", "contactmirror.sandbox.batch-delay=PT0S"})
class ContactsBenchmarkSmokeTest {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void runsEveryScenarioAgainstTheApiAndTheDatabase() throws Exception {
        var settings = new BenchmarkRun.Settings(7, 400, 2_000, 300, 1, 1, 8);
        String table = ContactsBenchmark.run(settings, port, tenants, jdbc, dataSource);
        System.out.println(table);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM contacts c JOIN instances i ON i.id = c.instance_id WHERE i.instance_name = 'bench_large' AND NOT c.is_group")
                        .query(Long.class)
                        .single())
                .isEqualTo(2_000);
        assertThat(table)
                .contains(
                        "| first page, limit 50 |",
                        "| name search, 4 letters",
                        "| rare name",
                        "| 1-2 character q |",
                        "| phone search, 6 digits |",
                        "| cursor pages (nextCursor) |");
        for (String line : table.lines()
                .filter(line -> line.startsWith("| ") && !line.startsWith("| scenario"))
                .toList()) {
            String[] cells = line.split("\\|");
            if (!cells[2].contains("nextCursor")) {
                assertThat(cells[4].strip()).as("API errors in " + line).isEqualTo("0");
                assertThat(Double.parseDouble(cells[3].strip().replace(",", "")))
                        .as("API throughput in " + line)
                        .isPositive();
            }
            assertThat(Double.parseDouble(cells[6].strip().replace(",", "")))
                    .as("pgbench throughput in " + line)
                    .isPositive();
        }
    }
}
