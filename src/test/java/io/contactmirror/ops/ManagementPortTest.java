package io.contactmirror.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** As the Helm chart runs it: probes and Prometheus metrics on their own management port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("test")
class ManagementPortTest {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    private HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesProbesAndPrometheusMetricsOnTheManagementPort() throws Exception {
        get(port, "/api/v1/tokens");
        assertThat(get(managementPort, "/actuator/health/liveness").statusCode())
                .isEqualTo(200);
        assertThat(get(managementPort, "/actuator/health/readiness").statusCode())
                .isEqualTo(200);
        HttpResponse<String> metrics = get(managementPort, "/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains(
                        "contactmirror_sessions_live",
                        "contactmirror_leases_held",
                        "contactmirror_sessions_reconnects_total",
                        "contactmirror_instances{",
                        "contactmirror_mirror_apply_seconds",
                        "contactmirror_sync_duration_seconds",
                        "http_server_requests_seconds_bucket");
        // The API port does not serve the management endpoints.
        assertThat(get(port, "/actuator/prometheus").statusCode()).isEqualTo(404);
    }
}
