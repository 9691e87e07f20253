package io.contactmirror.webhook;

import io.contactmirror.changelog.ChangeNotifier;
import io.contactmirror.connection.SecretsAtRest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every replica's webhook worker: one loop copies new changes into the outbox and claims due deliveries, and each
 * claimed delivery is sent on its own virtual thread (at most {@code max-concurrency} at a time). A replica that
 * dies keeps nothing: its claims run out and another replica takes them (at-least-once). A replica that stops
 * finishes what it sent and gives back what it had not.
 */
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(10);

    private final DeliveryRepository deliveries;
    private final SubscriptionRepository subscriptions;
    private final WebhookSender sender;
    private final SecretsAtRest secrets;
    private final WebhookProperties properties;
    private final RetryPolicy retry;
    private final TransactionTemplate transactions;
    private final ChangeNotifier notifier;
    private final Semaphore permits;
    private final Set<DeliveryRepository.Claim> inFlight = ConcurrentHashMap.newKeySet();
    /** Successes are recorded by the loop in batches: one statement per round instead of one per delivery. */
    private final Queue<DeliveryRepository.Delivered> delivered = new ConcurrentLinkedQueue<>();

    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private @Nullable Thread loop;
    private @Nullable ExecutorService workers;
    private ChangeNotifier.@Nullable Subscription commits;

    WebhookDispatcher(
            DeliveryRepository deliveries,
            SubscriptionRepository subscriptions,
            WebhookSender sender,
            SecretsAtRest secrets,
            WebhookProperties properties,
            RetryPolicy retry,
            TransactionTemplate transactions,
            ChangeNotifier notifier) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.secrets = secrets;
        this.properties = properties;
        this.retry = retry;
        this.transactions = transactions;
        this.notifier = notifier;
        this.permits = new Semaphore(properties.maxConcurrency());
    }

    @Override
    public void start() {
        if (!properties.workerEnabled() || running) {
            return;
        }
        running = true;
        workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("webhook-delivery-", 0).factory());
        loop = Thread.ofPlatform().name("webhook-dispatcher").daemon().start(this::run);
        // A commit of changes starts the next round at once; the poll interval is only the backstop.
        commits = notifier.subscribeAll(instanceId -> wake());
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (commits != null) {
            commits.close();
        }
        wake();
        try {
            if (loop != null) {
                loop.join(Duration.ofSeconds(10));
            }
            if (workers != null) {
                workers.shutdown();
                Duration grace = properties
                        .connectTimeout()
                        .plus(properties.readTimeout())
                        .plusSeconds(1);
                workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
                workers.shutdownNow();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        try {
            recordDelivered();
        } catch (RuntimeException ex) {
            log.warn(
                    "Could not record {} webhook deliveries; they are sent again when their claims run out",
                    delivered.size());
        }
        List<DeliveryRepository.Claim> unfinished = new ArrayList<>(inFlight);
        if (!unfinished.isEmpty()) {
            try {
                deliveries.release(unfinished);
            } catch (RuntimeException ex) {
                log.warn(
                        "Could not give back {} webhook deliveries; they are taken over when their claims run out",
                        unfinished.size());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server stops (it stops first), before the database goes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    private void run() {
        long lastPrune = System.nanoTime();
        while (running) {
            int work;
            try {
                work = recordDelivered();
                work += deliveries.fanOut(properties.batchSize(), properties.batchSize() * 10) + claimAndSend();
                if (System.nanoTime() - lastPrune > PRUNE_INTERVAL.toNanos()) {
                    lastPrune = System.nanoTime();
                    deliveries.prune(properties.deliveredRetention());
                }
            } catch (RuntimeException ex) {
                if (running) {
                    log.warn("Webhook dispatch round failed: {}", ex.toString());
                }
                work = 0;
            }
            if (work == 0) {
                pause(properties.pollInterval());
            }
        }
    }

    private int recordDelivered() {
        List<DeliveryRepository.Delivered> batch = new ArrayList<>();
        DeliveryRepository.Delivered next;
        while ((next = delivered.poll()) != null) {
            batch.add(next);
        }
        try {
            deliveries.delivered(batch);
        } catch (RuntimeException ex) {
            delivered.addAll(
                    batch); // tried again next round (or taken over by another replica when the claims run out)
            throw ex;
        }
        batch.forEach(done -> inFlight.remove(done.claim()));
        return batch.size();
    }

    private int claimAndSend() {
        int free = permits.availablePermits();
        if (free == 0 || !running) {
            return 0;
        }
        List<DeliveryRepository.Claim> claims =
                deliveries.claim(Math.min(free, properties.batchSize()), properties.claimTimeout());
        for (DeliveryRepository.Claim claim : claims) {
            permits.acquireUninterruptibly();
            inFlight.add(claim);
            workers.execute(() -> deliver(claim));
        }
        return claims.size();
    }

    private void deliver(DeliveryRepository.Claim claim) {
        long started = System.nanoTime();
        boolean accepted = false;
        try {
            String secret = secret(claim);
            if (secret == null) {
                return;
            }
            long timestamp = Instant.now().getEpochSecond();
            String signature = WebhookSignature.sign(secret, claim.eventId(), timestamp, claim.payload());
            WebhookSender.Outcome outcome =
                    sender.send(claim.url(), claim.eventId(), timestamp, signature, claim.payload());
            Instant attemptedAt = claim.claimedAt().plusNanos(System.nanoTime() - started);
            accepted = outcome.success();
            record(claim, outcome, attemptedAt);
        } catch (RuntimeException ex) {
            // The claim runs out and the delivery is tried again (by any replica).
            log.warn(
                    "Webhook delivery {} of subscription {} could not be completed: {}",
                    claim.eventId(),
                    claim.subscriptionId(),
                    ex.toString());
        } finally {
            if (!accepted) {
                inFlight.remove(claim); // an accepted one stays until the loop has recorded it
            }
            permits.release();
            wake();
        }
    }

    /**
     * The subscription's signing secret. One encrypted with a previous key is re-encrypted with the current one (as
     * sessions are), so the old key can be dropped; one no configured key decrypts disables the subscription.
     */
    private @Nullable String secret(DeliveryRepository.Claim claim) {
        String context = WebhookService.secretContext(claim.subscriptionId());
        byte[] plain;
        try {
            plain = secrets.decrypt(claim.secret().blob(), claim.secret().keyId(), context);
        } catch (RuntimeException ex) {
            deliveries.release(List.of(claim));
            subscriptions.disable(
                    claim.subscriptionId(),
                    "The signing secret cannot be decrypted with the configured " + "encryption keys (key id "
                            + claim.secret().keyId() + "); rotate the secret, then enable the webhook");
            log.warn(
                    "Webhook subscription {} disabled: its secret cannot be decrypted ({})",
                    claim.subscriptionId(),
                    ex.getMessage());
            return null;
        }
        if (!claim.secret().keyId().equals(secrets.currentKeyId())) {
            subscriptions.reencryptSecret(
                    claim.subscriptionId(),
                    claim.secret(),
                    new SubscriptionRepository.EncryptedSecret(
                            secrets.currentKeyId(), secrets.encrypt(plain, context)));
        }
        return new String(plain, StandardCharsets.UTF_8);
    }

    private void record(DeliveryRepository.Claim claim, WebhookSender.Outcome outcome, Instant attemptedAt) {
        if (outcome.success()) {
            delivered.add(new DeliveryRepository.Delivered(claim, outcome.status(), attemptedAt));
            return;
        }
        int failures = claim.attempts() + 1;
        Instant first = claim.firstAttemptAt() != null ? claim.firstAttemptAt() : claim.claimedAt();
        Duration next = retry.nextDelay(failures, first, attemptedAt);
        String error = outcome.error() == null ? "failed" : outcome.error();
        if (next != null) {
            log.info(
                    "Webhook delivery {} of subscription {} failed (attempt {}), next in {}: {}",
                    claim.eventId(),
                    claim.subscriptionId(),
                    failures,
                    next,
                    error);
            deliveries.failed(claim, outcome.status(), error, next);
            return;
        }
        String reason = "Delivery " + claim.eventId() + " failed for " + properties.retryFor() + " (" + failures
                + " attempts); last error: " + error;
        transactions.executeWithoutResult(status -> {
            if (deliveries.failed(claim, outcome.status(), error, null)) {
                subscriptions.disable(
                        claim.subscriptionId(), reason.length() > 1000 ? reason.substring(0, 1000) : reason);
            }
        });
        log.warn("Webhook subscription {} disabled: {}", claim.subscriptionId(), reason);
    }

    private void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void pause(Duration duration) {
        synchronized (signal) {
            long deadline = System.nanoTime() + duration.toNanos();
            while (!woken && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }
}
