package io.contactmirror.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.support.RawHttp;
import io.contactmirror.support.TestTenants;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/** Without a separate management port, the API port serves health to anyone and Prometheus only to the operator. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestTenants.class)
@ActiveProfiles("test")
class ActuatorExposureTest {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    private int status(String path, String authorization) throws Exception {
        return RawHttp.request(
                        port,
                        "GET " + path + " HTTP/1.1"
                                + (authorization == null ? "" : "\r\nAuthorization: " + authorization),
                        null)
                .status();
    }

    @Test
    void onlyHealthIsPublicOnTheApiPort() throws Exception {
        assertThat(status("/actuator/health", null)).isEqualTo(200);
        assertThat(status("/actuator/health/liveness", null)).isEqualTo(200);
        assertThat(status("/actuator/health/readiness", null)).isEqualTo(200);
        assertThat(status("/actuator/prometheus", null)).isEqualTo(401);
        assertThat(status("/actuator/prometheus", tenants.create().bearer())).isEqualTo(401);
        assertThat(status("/actuator/info", null)).isEqualTo(401);
        assertThat(status("/actuator", null)).isEqualTo(401);
        assertThat(status("/actuator/prometheus", "Bearer test-operator-token")).isEqualTo(200);
    }
}
