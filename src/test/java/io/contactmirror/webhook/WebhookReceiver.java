package io.contactmirror.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver for webhook tests: records every request it gets and answers with the status the test
 * chooses per request number (1-based; the choice may block to hold a request). A request is recorded when it is
 * answered. Verifies signatures on its own (not with the code under test).
 */
final class WebhookReceiver implements AutoCloseable {

    record Received(String id, String timestamp, String signature, String body, int answeredWith) {}

    private final HttpServer server;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger arrivals = new AtomicInteger();
    private volatile IntUnaryOperator statusForRequest = n -> 204;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = statusForRequest.applyAsInt(arrivals.incrementAndGet());
            synchronized (requests) {
                requests.add(new Received(
                        exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"),
                        body,
                        status));
            }
            byte[] answer =
                    status >= 300 ? "{\"error\":\"receiver says no\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void answer(IntUnaryOperator statusForRequest) {
        this.statusForRequest = statusForRequest;
    }

    int arrivals() {
        return arrivals.get();
    }

    List<Received> requests() {
        return List.copyOf(requests);
    }

    /** Requests answered 2xx, in the order they arrived. */
    List<Received> accepted() {
        return requests.stream()
                .filter(r -> r.answeredWith() >= 200 && r.answeredWith() < 300)
                .toList();
    }

    /** Standard Webhooks verification, written independently of the service's signer. */
    static boolean verify(String secret, Received received) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String signed = received.id() + "." + received.timestamp() + "." + received.body();
            String expected = Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
            for (String candidate : received.signature().split(" ")) {
                if (candidate.equals("v1," + expected)) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
