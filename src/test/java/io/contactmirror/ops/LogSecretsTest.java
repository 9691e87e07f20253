package io.contactmirror.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.RawHttp;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * Runs every route of the contract (Green API included), with valid and failing credentials, a client that hangs up
 * in the middle of an export, and requests Tomcat rejects while parsing, all at DEBUG; then greps the whole log
 * for every secret the run used. Also: hanging up on a stream is a DEBUG line, not an ERROR with a stack trace.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "logging.level.root=debug",
            "logging.level.io.contactmirror=trace",
            // Hibernate's and the pool's DEBUG output is enormous and carries no request data; still on at INFO.
            "logging.level.org.hibernate=info",
            "logging.level.com.zaxxer=info",
            "logging.level.io.zonky=info",
            "logging.level.org.flywaydb=info",
            "contactmirror.rate-limit.failed-auth-per-minute=0",
            "contactmirror.test.failing-endpoint=true"
        })
@Import({TestTenants.class, TestInstances.class})
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class LogSecretsTest {

    private static final Pattern ISSUED_SECRET =
            Pattern.compile("\"token\":\"([0-9a-f-]{36})\"|\"secret\":\"(whsec_[^\"]+)\"");
    private static final String OPERATOR = "test-operator-token";
    private static final String SESSION_KEY = "9PZZ00+eoLO8CkcH0z6izhhvD7eGtenmcH/zNAtrz00=";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Autowired
    ApplicationEventPublisher events;

    private final Set<String> secrets = new TreeSet<>();
    private final Set<String> exercised = new TreeSet<>();

    private RawHttp.Response send(String method, String template, String target, String credentials, String body)
            throws Exception {
        exercised.add(method + " " + template);
        String head =
                method + " " + target + " HTTP/1.1" + (credentials == null ? "" : "\r\nAuthorization: " + credentials)
                        + (body == null ? "" : "\r\nContent-Type: application/json");
        RawHttp.Response response = RawHttp.request(port, head, body);
        Matcher issued = ISSUED_SECRET.matcher(response.body());
        while (issued.find()) {
            secrets.add(issued.group(1) != null ? issued.group(1) : issued.group(2));
        }
        assertThat(response.status()).as(method + " " + target).isLessThan(500);
        return response;
    }

    @Test
    void noSecretReachesAnyLogLine(CapturedOutput output) throws Exception {
        var tenant = tenants.create();
        var other = tenants.create();
        Instance shop = instances.create(tenant, "log_shop", EngineType.SANDBOX);
        Instance spare = instances.create(tenant, "log_spare", EngineType.SANDBOX);
        // Enough contacts that an export is still being written when its client hangs up.
        events.publishEvent(new InstanceDataEvent.ContactsReceived(
                shop.id(),
                instances.lease(shop.id()),
                IntStream.range(0, 20_000)
                        .mapToObj(i -> new ContactRecord(
                                "55119" + (10_000_000 + i) + "@s.whatsapp.net",
                                null,
                                "Push " + i,
                                "Full Name " + i,
                                null,
                                null,
                                true))
                        .toList()));
        String pathToken = tenants.pathToken(tenant, shop.id());
        String owner = "Bearer " + tenant.token();
        String basic = Base64.getEncoder().encodeToString(("user:" + tenant.token()).getBytes(StandardCharsets.UTF_8));
        secrets.addAll(List.of(tenant.token(), other.token(), pathToken, OPERATOR, SESSION_KEY, basic));

        for (String credentials : List.of(owner, "Bearer " + other.token(), "Bearer " + pathToken)) {
            exerciseTenantRoutes(credentials, shop, spare);
        }
        String green = "/waInstance{idInstance}/getContacts/{apiTokenInstance}";
        send("GET", green, "/waInstance" + shop.id() + "/getContacts/" + tenant.token(), null, null);
        send("GET", green, "/waInstance999999/getContacts/" + pathToken, null, null);
        send("GET", green, "/waInstance" + shop.id() + "/getContacts/" + pathToken + "x", null, null);
        send("GET", "/user/my/contacts", "/user/my/contacts", "Basic " + basic, null);
        send(
                "GET",
                "/user/my/contacts",
                "/user/my/contacts",
                "Basic " + Base64.getEncoder().encodeToString(("u:" + other.token()).getBytes(StandardCharsets.UTF_8)),
                null);
        // The one deliberate 500: its ERROR line must name the route, not the raw request.
        assertThat(RawHttp.request(port, "GET /api/v1/test-failure HTTP/1.1\r\nAuthorization: " + owner, null)
                        .status())
                .isEqualTo(500);
        exerciseOperatorRoutes(tenant.slug());
        hangUpDuringExport("/waInstance" + shop.id() + "/getContacts/" + pathToken, null);
        hangUpDuringExport("/contacts?instanceName=log_shop", owner);
        hangUpDuringExport("/api/v1/contacts/export?instanceName=log_shop", owner);
        sendMalformed(tenant.token(), pathToken);

        assertThat(exercised).containsAll(contractOperations());
        List<String> lines = output.getAll().lines().toList();
        for (String secret : secrets) {
            assertThat(lines.stream()
                            .filter(line -> line.toLowerCase().contains(secret.toLowerCase()))
                            .toList())
                    .as("log lines holding a secret")
                    .isEmpty();
        }
        // Hanging up on an export is routine: one DEBUG line (Spring's or ours), never an ERROR or WARN. Other cached
        // test contexts may log concurrently (in plain or JSON format), so only request-handling loggers count.
        assertThat(lines)
                .anyMatch(line -> level(line, "DEBUG")
                        && (line.contains("client has gone away") || line.contains("Client left during")));
        List<String> problems = lines.stream()
                .filter(line -> level(line, "ERROR") || level(line, "WARN"))
                .filter(line -> REQUEST_LOGGERS.matcher(line).find())
                .toList();
        assertThat(problems)
                .as("only the deliberate failure is logged as a problem")
                .hasSize(1)
                .allMatch(line -> line.contains("Unhandled error on GET /api/v1/test-failure"));
    }

    private static final Pattern REQUEST_LOGGERS = Pattern.compile(
            "(i\\.contactmirror\\.web|io\\.contactmirror\\.web|io\\.contactmirror\\.security|o\\.a\\.|org\\.apache|o\\.s\\.w|org\\.springframework\\.web|DispatcherServlet)");

    private static boolean level(String line, String level) {
        return line.contains(" " + level + " ") || line.contains("\"level\":\"" + level + "\"");
    }

    private void exerciseTenantRoutes(String credentials, Instance shop, Instance spare) throws Exception {
        String name = "/api/v1/instances/{instanceName}";
        send("GET", "/api/v1/instances", "/api/v1/instances", credentials, null);
        send(
                "POST",
                "/api/v1/instances",
                "/api/v1/instances",
                credentials,
                "{\"instanceName\":\"log_new_" + secrets.size() + "\",\"engine\":\"sandbox\"}");
        send("GET", name, "/api/v1/instances/log_shop", credentials, null);
        send("POST", name + "/connect", "/api/v1/instances/log_spare/connect", credentials, null);
        send("GET", name + "/qr", "/api/v1/instances/log_spare/qr", credentials, null);
        send("GET", name + "/qr.png", "/api/v1/instances/log_spare/qr.png", credentials, null);
        send(
                "POST",
                name + "/pairing-code",
                "/api/v1/instances/log_spare/pairing-code",
                credentials,
                "{\"phone\":\"5511988887777\"}");
        send("POST", name + "/sandbox/scan", "/api/v1/instances/log_spare/sandbox/scan", credentials, null);
        send(
                "POST",
                name + "/sandbox/events",
                "/api/v1/instances/log_spare/sandbox/events",
                credentials,
                "{\"type\":\"contact\",\"jid\":\"5511977776666@s.whatsapp.net\",\"pushName\":\"Event\"}");
        send("POST", name + "/disconnect", "/api/v1/instances/log_spare/disconnect", credentials, null);
        send("POST", name + "/logout", "/api/v1/instances/log_spare/logout", credentials, null);
        send("DELETE", name, "/api/v1/instances/log_missing", credentials, null);
        send("GET", "/api/v1/contacts", "/api/v1/contacts?instanceName=log_shop&q=Full", credentials, null);
        send(
                "POST",
                "/api/v1/contacts",
                "/api/v1/contacts",
                credentials,
                "{\"instanceName\":\"log_shop\",\"phone\":\"5511966665555\",\"name\":\"Saved\"}");
        send(
                "GET",
                "/api/v1/contacts/lookup",
                "/api/v1/contacts/lookup?instanceName=log_shop&phone=5511910000001",
                credentials,
                null);
        send(
                "GET",
                "/api/v1/contacts/profile-picture",
                "/api/v1/contacts/profile-picture?instanceName=log_shop&phone=5511910000001",
                credentials,
                null);
        send(
                "POST",
                "/api/v1/contacts/resolve",
                "/api/v1/contacts/resolve",
                credentials,
                "{\"instanceName\":\"log_shop\",\"identifiers\":[\"5511910000001\"]}");
        send(
                "GET",
                "/api/v1/contacts/changes",
                "/api/v1/contacts/changes?instanceName=log_shop&after=now",
                credentials,
                null);
        send(
                "GET",
                "/api/v1/contacts/export",
                "/api/v1/contacts/export?instanceName=log_shop&format=csv&q=Full%20Name%201",
                credentials,
                null);
        send("GET", "/api/v1/events", "/api/v1/events?instanceName=log_shop", credentials, null);
        send("GET", "/api/v1/contacts/{id}", "/api/v1/contacts/1", credentials, null);
        send("PATCH", "/api/v1/contacts/{id}", "/api/v1/contacts/1", credentials, "{\"notes\":\"n\"}");
        RawHttp.Response created = send("POST", "/api/v1/tokens", "/api/v1/tokens", credentials, "{\"label\":\"log\"}");
        String tokenId = created.body().replaceAll("(?s).*\"id\":\"([0-9a-f-]{36})\".*", "$1");
        send("GET", "/api/v1/tokens", "/api/v1/tokens", credentials, null);
        send("GET", "/api/v1/tokens/{tokenId}", "/api/v1/tokens/" + tokenId, credentials, null);
        send("DELETE", "/api/v1/tokens/{tokenId}", "/api/v1/tokens/" + tokenId, credentials, null);
        // A paused webhook: nothing is sent, but its secret (shown on create and rotate) must stay out of the logs.
        RawHttp.Response hook = send(
                "POST",
                "/api/v1/webhooks",
                "/api/v1/webhooks",
                credentials,
                "{\"url\":\"https://93.184.215.14/hook\",\"enabled\":false}");
        String hookId = hook.body().replaceAll("(?s).*\"id\":\"([0-9a-f-]{36})\".*", "$1");
        String webhook = "/api/v1/webhooks/{webhookId}";
        send("GET", "/api/v1/webhooks", "/api/v1/webhooks", credentials, null);
        send("GET", webhook, "/api/v1/webhooks/" + hookId, credentials, null);
        send("PATCH", webhook, "/api/v1/webhooks/" + hookId, credentials, "{\"description\":\"log\"}");
        send("POST", webhook + "/rotate-secret", "/api/v1/webhooks/" + hookId + "/rotate-secret", credentials, null);
        send("GET", webhook + "/deliveries", "/api/v1/webhooks/" + hookId + "/deliveries", credentials, null);
        send(
                "POST",
                webhook + "/deliveries/{deliveryId}/replay",
                "/api/v1/webhooks/" + hookId + "/deliveries/1/replay",
                credentials,
                null);
        send("DELETE", webhook, "/api/v1/webhooks/" + hookId, credentials, null);
        send("GET", "/contacts", "/contacts?instanceName=log_shop", credentials, null);
        send("GET", "/getcontact", "/getcontact?instanceName=log_shop&phone=5511910000001", credentials, null);
        send("GET", "/getcontacts", "/getcontacts?instanceName=log_spare", credentials, null);
        send("DELETE", name, "/api/v1/instances/" + spare.instanceName(), credentials, null);
    }

    private void exerciseOperatorRoutes(String slug) throws Exception {
        String bearer = "Bearer " + OPERATOR;
        send("GET", "/admin/v1/tenants", "/admin/v1/tenants", bearer, null);
        send(
                "POST",
                "/admin/v1/tenants",
                "/admin/v1/tenants",
                bearer,
                "{\"slug\":\"log-tenant\",\"name\":\"Log\",\"owner\":{\"email\":\"log@example.com\"}}");
        send("GET", "/admin/v1/tenants/{tenant}", "/admin/v1/tenants/" + slug, bearer, null);
        send("POST", "/admin/v1/tenants/{tenant}/tokens", "/admin/v1/tenants/" + slug + "/tokens", bearer, null);
        send("POST", "/admin/v1/tenants/{tenant}/disable", "/admin/v1/tenants/log-tenant/disable", bearer, null);
        send("POST", "/admin/v1/tenants/{tenant}/enable", "/admin/v1/tenants/log-tenant/enable", bearer, null);
        send("GET", "/admin/v1/tenants", "/admin/v1/tenants", "Bearer wrong-" + OPERATOR, null);
        send("GET", "/actuator/prometheus", "/actuator/prometheus", bearer, null);
    }

    /** Reads the start of a streamed export, then resets the connection. */
    private void hangUpDuringExport(String target, String credentials) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoLinger(true, 0);
            socket.setReceiveBufferSize(1024);
            String head = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + (credentials == null ? "" : "Authorization: " + credentials + "\r\n") + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertThat(in.readNBytes(200)).hasSize(200);
        }
        Thread.sleep(500); // lets the server's writer notice the reset while the output capture is still on
    }

    /** What Tomcat rejects while parsing, with credentials inside the rejected parts. */
    private void sendMalformed(String token, String pathToken) throws Exception {
        RawHttp.send(
                port,
                "GET /api/v1/instances?t=" + token + "\u0001 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawHttp.send(
                port,
                "GET /api/v1/instances HTTP/1.1\r\nHost: localhost\r\nAuthorization Bearer " + token
                        + "\r\nConnection: close\r\n\r\n");
        RawHttp.send(
                port,
                "GET /api/v1/instances HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                        + "\u0001\r\nConnection: close\r\n\r\n");
        RawHttp.send(
                port,
                "GET /waInstance1/getContacts/" + pathToken
                        + "%ZZ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawHttp.send(
                port,
                "GET /waInstance1/getContacts/" + pathToken
                        + "/%2F HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawHttp.send(
                port,
                "GET /" + "a".repeat(20_000) + "?" + token
                        + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    private static List<String> contractOperations() {
        List<String> operations = new ArrayList<>();
        new OpenAPIV3Parser()
                .read("openapi/openapi.yaml")
                .getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .keySet()
                        .forEach(method -> operations.add(method.name() + " " + path)));
        return operations;
    }
}
