package io.contactmirror.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A compatibility route streams a large instance completely even when the servlet async timeout is far shorter than
 * the export: the document must never be cut off mid-JSON.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.mvc.async.request-timeout=50ms")
@Import({TestTenants.class, TestInstances.class})
@ActiveProfiles("test")
class CompatStreamingTest {

    private static final int CONTACTS = 60_000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Test
    void streamsAWholeLargeInstanceUnderAShortAsyncTimeout() throws Exception {
        TestTenants.TestTenant tenant = tenants.create();
        Instance instance = instances.create(tenant, "big_store", EngineType.SANDBOX);
        jdbc.sql("""
                        INSERT INTO contacts (instance_id, jid, phone, phone_key, push_name, full_name, display_name, sort_name, search_text)
                        SELECT :instance, (5511900000000 + g) || '@s.whatsapp.net', (5511900000000 + g)::text, (5511900000000 + g)::text,
                               'Person ' || g, 'Person Number ' || g, 'Person Number ' || g, 'person number ' || g, 'person number ' || g
                        FROM generate_series(1, :count) g""").param("instance", instance.id()).param("count", CONTACTS).update();

        long started = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + port + "/getcontacts?instanceName=big_store"))
                                .header("Authorization", tenant.bearer())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        // The export outlasts the async timeout many times over, so an async stream would have been cut off.
        assertThat(millis).isGreaterThan(50);
        JsonNode all = json.readTree(response.body());
        assertThat(all.isArray()).isTrue();
        assertThat(all.size()).isEqualTo(CONTACTS);
        assertThat(all.get(CONTACTS - 1).get("jid").asString()).endsWith("@s.whatsapp.net");
    }
}
