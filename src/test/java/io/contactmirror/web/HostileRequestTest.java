package io.contactmirror.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.support.RawHttp;
import io.contactmirror.support.TestTenants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/** The bytes that once made 500s or non-envelope answers, sent over a real socket: all get a 4xx envelope. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestTenants.class)
@ActiveProfiles("test")
class HostileRequestTest {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    String auth;

    @BeforeEach
    void tenant() {
        auth = "Authorization: " + tenants.create().bearer();
    }

    private RawHttp.Response get(String target, String... headers) throws IOException {
        return RawHttp.request(
                port,
                "GET " + target + " HTTP/1.1\r\n" + auth
                        + (headers.length == 0 ? "" : "\r\n" + String.join("\r\n", headers)),
                null);
    }

    private static void assertEnvelope(RawHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat((Boolean) JsonPath.read(response.body(), "$.success")).isFalse();
        assertThat((String) JsonPath.read(response.body(), "$.error_code")).isEqualTo(code);
        String requestId = JsonPath.read(response.body(), "$.request_id");
        assertThat(requestId).isNotBlank().isEqualTo(response.header("X-Request-Id"));
    }

    private static void assertField(RawHttp.Response response, String field) {
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat((String) JsonPath.read(response.body(), "$.details[0].field"))
                .isEqualTo(field);
    }

    @Test
    void undecodableQueryStringsAreBadRequests() throws Exception {
        assertField(get("/api/v1/instances?page=%"), "query");
        assertField(get("/api/v1/instances?page=%C3%28"), "query");
        assertField(get("/api/v1/instances?=1"), "query");
        assertField(get("/api/v1/contacts?q=a%00b"), "q");
        assertField(get("/api/v1/contacts?q=a%01b"), "q");
    }

    @Test
    void hugePagesAreBadRequests() throws Exception {
        assertField(get("/api/v1/tokens?page=2147483647"), "page");
        assertField(get("/api/v1/instances?page=99999999999"), "page");
        RawHttp.Response admin = RawHttp.request(
                port,
                "GET /admin/v1/tenants?page=2147483647 HTTP/1.1\r\nAuthorization: Bearer test-operator-token",
                null);
        assertField(admin, "page");
    }

    @Test
    void whatTomcatRejectsIsAnsweredInTheEnvelope() throws Exception {
        assertEnvelope(get("/api/v1/instances/a%2Fb"), 400, "MALFORMED_REQUEST");
        assertEnvelope(get("/api/v1/instances/a%00b"), 400, "MALFORMED_REQUEST");
        assertEnvelope(get("/api/v1/instances/" + "a".repeat(20_000)), 400, "MALFORMED_REQUEST");
        assertEnvelope(get("/api/v1/instances", "X-Big: " + "b".repeat(20_000)), 400, "MALFORMED_REQUEST");
        assertEnvelope(
                RawHttp.send(
                        port,
                        "GET /api/v1/instances HTTP/1.1\r\nHost: localhost\r\nBad\u0001Header: x\r\nConnection: close\r\n\r\n"),
                400,
                "MALFORMED_REQUEST");
        assertEnvelope(
                RawHttp.send(port, "GET /api/v1/in stances HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                400,
                "MALFORMED_REQUEST");
    }

    @Test
    void methodsNoRouteTakesAreEnvelopedWithARequestId() throws Exception {
        RawHttp.Response trace = RawHttp.request(port, "TRACE /api/v1/instances HTTP/1.1\r\n" + auth, null);
        assertThat(trace.status()).isEqualTo(405);
        assertThat((String) JsonPath.read(trace.body(), "$.request_id"))
                .isNotBlank()
                .isEqualTo(trace.header("X-Request-Id"));
    }

    @Test
    void controlOrNonAsciiBytesInHeadersTheApiReadsAreNamed() throws Exception {
        assertEnvelope(get("/api/v1/instances", "Accept: application/\u0001json"), 400, "MALFORMED_REQUEST");
        assertField(get("/api/v1/instances", "Accept: application/\u00e9json"), "Accept");
        assertField(get("/api/v1/instances", "Content-Type: \u00ff"), "Content-Type");
        assertField(
                RawHttp.send(
                        port,
                        ("PATCH /api/v1/contacts/1 HTTP/1.1\r\nHost: localhost\r\n" + auth
                                        + "\r\nIf-Match: \"\u00e9\"\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                                .getBytes(StandardCharsets.ISO_8859_1)),
                "If-Match");
        // The GOWA route answers in its seed's shape, {code, message, results}.
        RawHttp.Response gowa = get("/user/my/contacts", "X-Device-Id: d\u00ff");
        assertThat(gowa.status()).isEqualTo(400);
        assertThat((String) JsonPath.read(gowa.body(), "$.code")).isEqualTo("VALIDATION_ERROR");
        assertThat((String) JsonPath.read(gowa.body(), "$.message")).contains("X-Device-Id");
    }

    @Test
    void nulInABodyIsRefusedNamingTheField() throws Exception {
        RawHttp.Response response = RawHttp.request(
                port,
                "POST /api/v1/tokens HTTP/1.1\r\n" + auth + "\r\nContent-Type: application/json",
                "{\"label\":\"a\\u0000b\"}");
        assertField(response, "label");
        RawHttp.Response event = RawHttp.request(
                port,
                "POST /api/v1/contacts/resolve HTTP/1.1\r\n" + auth + "\r\nContent-Type: application/json",
                "{\"identifiers\":[\"1\",\"x\\u0000\"]}");
        assertField(event, "identifiers[1]");
    }

    @Test
    void bodiesAreBoundedBeforeTheyAreParsed() throws Exception {
        RawHttp.Response large = RawHttp.send(
                port,
                ("POST /api/v1/contacts/resolve HTTP/1.1\r\nHost: localhost\r\n" + auth
                                + "\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n[")
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertEnvelope(large, 413, "PAYLOAD_TOO_LARGE");
        String manyItems = "{\"identifiers\":[" + "\"1\",".repeat(5000) + "\"1\"]}";
        assertField(
                RawHttp.request(
                        port,
                        "POST /api/v1/contacts/resolve HTTP/1.1\r\n" + auth + "\r\nContent-Type: application/json",
                        manyItems),
                "identifiers[1000]");
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertEnvelope(
                RawHttp.request(
                        port,
                        "POST /api/v1/contacts/resolve HTTP/1.1\r\n" + auth + "\r\nContent-Type: application/json",
                        deep),
                400,
                "MALFORMED_REQUEST");
        String chunked = "POST /api/v1/contacts/resolve HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + ("4000\r\n" + " ".repeat(0x4000) + "\r\n").repeat(5) + "0\r\n\r\n";
        assertEnvelope(RawHttp.send(port, chunked), 413, "PAYLOAD_TOO_LARGE");
    }
}
