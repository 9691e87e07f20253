package io.contactmirror.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.support.TestTenants;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * 500 slow clients (uploads announcing 60 kB and sending one byte, and connections that never finish their
 * headers) hold no worker the health probe needs: it keeps answering, and the slow clients are cut off.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.tomcat.connection-timeout=3s", "contactmirror.limits.body-read-timeout=5s"})
@Import(TestTenants.class)
@ActiveProfiles("test")
class SlowClientsTest {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Test
    void healthKeepsAnsweringWhileFiveHundredClientsTrickle() throws Exception {
        String bearer = tenants.create().bearer();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket socket = new Socket("localhost", port);
                socket.setSoTimeout(60_000);
                String head = i % 5 == 0
                        ? "GET /api/v1/instances HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                        : "POST /api/v1/contacts/resolve HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + bearer
                                + "\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{";
                socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            for (int i = 0; i < 10; i++) {
                long started = System.nanoTime();
                HttpResponse<String> health = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/liveness"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            }
            // The server does not wait for them forever: each slow client gets an answer or a closed connection.
            for (Socket socket : slow) {
                InputStream in = socket.getInputStream();
                byte[] start = in.readNBytes(12);
                String status = new String(start, StandardCharsets.ISO_8859_1);
                assertThat(status.isEmpty() || status.startsWith("HTTP/1.1 408") || status.startsWith("HTTP/1.1 400"))
                        .as("answer to a slow client: '" + status + "'")
                        .isTrue();
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }
}
