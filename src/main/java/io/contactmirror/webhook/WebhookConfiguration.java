package io.contactmirror.webhook;

import io.contactmirror.changelog.ChangeNotifier;
import io.contactmirror.connection.SecretsAtRest;
import java.net.InetAddress;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The webhook worker and what it needs: the SSRF guard, the HTTP client and the retry schedule. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean
    TargetGuard webhookTargetGuard(WebhookProperties properties) {
        return new TargetGuard(properties.allowHttp(), properties.allowPrivateTargets(), InetAddress::getAllByName);
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(TargetGuard guard, WebhookProperties properties) {
        return new WebhookSender(guard, properties);
    }

    @Bean
    WebhookDispatcher webhookDispatcher(
            DeliveryRepository deliveries,
            SubscriptionRepository subscriptions,
            WebhookSender sender,
            SecretsAtRest secrets,
            WebhookProperties properties,
            TransactionTemplate transactions,
            ChangeNotifier notifier) {
        return new WebhookDispatcher(
                deliveries,
                subscriptions,
                sender,
                secrets,
                properties,
                RetryPolicy.of(properties),
                transactions,
                notifier);
    }
}
