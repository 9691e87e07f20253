package io.contactmirror.contact;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Contacts at a million (issue #12): see {@link BenchmarkRun}. Not a test: {@code ./mvnw -Pbenchmark test
 * -Dtest=ContactsBenchmark}; sizes and seed are system properties and the printed table says how to rerun it.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(
        properties = {
            "contactmirror.rate-limit.requests-per-second=0",
            "contactmirror.sandbox.batch-delay=PT0S",
            "contactmirror.sandbox.batch-size=5000"
        })
class ContactsBenchmark {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void contactsAtScale() throws Exception {
        System.out.println(run(BenchmarkRun.Settings.fromSystemProperties(), port, tenants, jdbc, dataSource));
    }

    static String run(
            BenchmarkRun.Settings settings, int port, TestTenants tenants, JdbcClient jdbc, DataSource dataSource)
            throws Exception {
        String url;
        String user;
        try (var connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
            user = connection.getMetaData().getUserName();
        }
        try (var run = new BenchmarkRun(settings, port, tenants.create().bearer(), jdbc, url, user)) {
            BenchmarkRun.DataSet data = run.build();
            List<BenchmarkRun.Row> rows = run.measure(data);
            return BenchmarkRun.table(settings, data, rows);
        }
    }
}
