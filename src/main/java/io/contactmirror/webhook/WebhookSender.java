package io.contactmirror.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Posts signed deliveries. Connections go only to the addresses the target guard approved for this very connection
 * (its DNS resolver is the guard), redirects are not followed, and only the first characters of a response are
 * read.
 */
class WebhookSender implements AutoCloseable {

    private final CloseableHttpClient client;
    private final int excerptLength;

    WebhookSender(TargetGuard guard, WebhookProperties properties) {
        DnsResolver pinned = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return guard.resolvePermitted(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(pinned)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout(properties.connectTimeout()))
                        .setSocketTimeout(timeout(properties.readTimeout()))
                        .build())
                .setMaxConnTotal(properties.maxConcurrency() * 2)
                .setMaxConnPerRoute(properties.maxConcurrency())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout(properties.connectTimeout()))
                        .setResponseTimeout(timeout(properties.readTimeout()))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("ContactMirror-Webhooks/1")
                .build();
        this.excerptLength = properties.responseExcerptLength();
    }

    /** What the target answered: its status, or (status null) why no answer came. */
    record Outcome(@Nullable Integer status, @Nullable String error) {
        boolean success() {
            return status != null && status >= 200 && status < 300;
        }
    }

    Outcome send(String url, String id, long timestampSeconds, String signature, String body) {
        HttpPost post = new HttpPost(url);
        post.setHeader("webhook-id", id);
        post.setHeader("webhook-timestamp", Long.toString(timestampSeconds));
        post.setHeader("webhook-signature", signature);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        try {
            return client.execute(post, response -> {
                int status = response.getCode();
                if (status >= 200 && status < 300) {
                    return new Outcome(status, null);
                }
                String excerpt = response.getEntity() == null
                        ? ""
                        : excerpt(response.getEntity().getContent());
                return new Outcome(status, "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt));
            });
        } catch (TargetGuard.RefusedTargetException ex) {
            return new Outcome(null, "refused: " + ex.getMessage());
        } catch (UnknownHostException ex) {
            return new Outcome(null, "host cannot be resolved: " + ex.getMessage());
        } catch (InterruptedIOException ex) {
            return new Outcome(null, "timed out: " + ex.getMessage());
        } catch (IOException ex) {
            return new Outcome(null, ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private String excerpt(InputStream in) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(excerptLength * 4);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.length() > excerptLength ? text.substring(0, excerptLength) + "…" : text;
        }
    }

    private static Timeout timeout(Duration duration) {
        return Timeout.ofMilliseconds(duration.toMillis());
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
