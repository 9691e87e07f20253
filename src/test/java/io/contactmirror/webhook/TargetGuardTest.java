package io.contactmirror.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which webhook targets the SSRF guard refuses, on saving and again (pinned) when a delivery connects. */
class TargetGuardTest {

    private static InetAddress[] literal(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }

    /** Sender settings with HTTP allowed and short timeouts; private targets as given. */
    private static WebhookProperties senderSettings(boolean allowPrivateTargets) {
        return new WebhookProperties(
                true,
                allowPrivateTargets,
                true,
                Duration.ofMillis(100),
                10,
                2,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                0.2,
                Duration.ofHours(24),
                Duration.ofDays(1),
                100);
    }

    private final TargetGuard strict = new TargetGuard(false, false, TargetGuardTest::literal);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1/hook",
                "https://127.8.9.10/",
                "https://[::1]/",
                "https://10.1.2.3/",
                "https://172.16.0.1/",
                "https://172.31.255.255/",
                "https://192.168.1.1/",
                "https://169.254.169.254/latest/meta-data/",
                "https://169.254.1.1/",
                "https://100.64.0.1/",
                "https://100.127.255.254/",
                "https://0.0.0.0/",
                "https://[::]/",
                "https://224.0.0.1/",
                "https://[ff02::1]/",
                "https://[fd00::1]/",
                "https://[fc00::5]/",
                "https://[fe80::1]/",
                "https://[::ffff:10.0.0.1]/",
                "https://[::ffff:127.0.0.1]/",
                "https://255.255.255.255/"
            })
    void refusesInternalAddresses(String url) {
        assertThat(strict.problemWith(url))
                .hasValueSatisfying(problem -> assertThat(problem).contains("internal address"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://93.184.215.14/",
                "ftp://93.184.215.14/",
                "93.184.215.14",
                "https://user:pw@93.184.215.14/",
                "https:///x",
                "https://93.184.215.14/#x",
                "not a url"
            })
    void refusesWhatIsNotAPlainHttpsUrl(String url) {
        assertThat(strict.problemWith(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://93.184.215.14/hook",
                "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x",
                "https://100.128.0.1/",
                "https://172.32.0.1/"
            })
    void acceptsPublicHttpsTargets(String url) {
        assertThat(strict.problemWith(url)).isEmpty();
    }

    @Test
    void operatorSettingsAllowHttpAndPrivateTargets() {
        var lenient = new TargetGuard(true, true, TargetGuardTest::literal);
        assertThat(lenient.problemWith("http://127.0.0.1:8080/hook")).isEmpty();
        assertThat(new TargetGuard(true, false, TargetGuardTest::literal).problemWith("http://127.0.0.1:8080/hook"))
                .isPresent();
        assertThat(new TargetGuard(false, true, TargetGuardTest::literal).problemWith("http://127.0.0.1:8080/hook"))
                .isPresent();
    }

    @Test
    void aHostWithOneInternalAddressAmongPublicOnesIsRefused() {
        var guard = new TargetGuard(false, false, host ->
                new InetAddress[] {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7")});
        assertThat(guard.problemWith("https://mixed.example/"))
                .hasValueSatisfying(p -> assertThat(p).contains("10.0.0.7"));
        var unresolvable = new TargetGuard(false, false, host -> {
            throw new UnknownHostException(host);
        });
        assertThat(unresolvable.problemWith("https://nowhere.invalid/"))
                .hasValueSatisfying(p -> assertThat(p).contains("cannot be resolved"));
    }

    /**
     * DNS rebinding: the name resolved to a public address when the subscription was saved and to loopback when the
     * delivery connects. The delivery's connection resolves through the guard, so it is refused, not sent.
     */
    @Test
    void aDeliveryToANameThatNowResolvesToLoopbackIsRefusedAtConnectTime() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        var rebinding = new TargetGuard(
                true,
                false,
                host -> lookups.incrementAndGet() == 1
                        ? new InetAddress[] {InetAddress.getByName("93.184.215.14")}
                        : new InetAddress[] {InetAddress.getLoopbackAddress()});
        try (var receiver = new WebhookReceiver()) {
            String url = receiver.url().replace("127.0.0.1", "rebind.example");
            assertThat(rebinding.problemWith(url)).isEmpty();
            var properties = senderSettings(false);
            try (var sender = new WebhookSender(rebinding, properties)) {
                WebhookSender.Outcome outcome = sender.send(url, "chg_1_1", 1, "v1,x", "{}");
                assertThat(outcome.success()).isFalse();
                assertThat(outcome.status()).isNull();
                assertThat(outcome.error()).startsWith("refused:").contains("127.0.0.1");
            }
            assertThat(receiver.requests()).isEmpty();
            assertThat(lookups.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theSameSenderDeliversToAPermittedTarget() throws Exception {
        try (var receiver = new WebhookReceiver()) {
            var properties = senderSettings(true);
            try (var sender = new WebhookSender(new TargetGuard(true, true, TargetGuardTest::literal), properties)) {
                assertThat(sender.send(receiver.url(), "chg_1_1", 1, "v1,x", "{}")
                                .status())
                        .isEqualTo(204);
                receiver.answer(n -> 500);
                var failed = sender.send(receiver.url(), "chg_1_2", 1, "v1,x", "{}");
                assertThat(failed.error()).isEqualTo("HTTP 500: {\"error\":\"receiver says no\"}");
            }
            assertThat(receiver.requests())
                    .extracting(WebhookReceiver.Received::id)
                    .isEqualTo(List.of("chg_1_1", "chg_1_2"));
        }
    }
}
