package io.contactmirror.connection.cobalt;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks WhatsApp for the verified business name of a session's contacts, one at a time at a fixed pace, so a large
 * address book never floods the connection. Cobalt's contacts carry no business flag, hence asking; contacts are
 * asked about once, the queue is bounded, and failures are skipped.
 */
final class BusinessNameLookup {

    private static final Logger log = LoggerFactory.getLogger(BusinessNameLookup.class);

    private final Function<String, CompletableFuture<Optional<String>>> query;
    private final BiConsumer<String, String> found;
    private final Duration interval;
    private final Duration timeout;
    private final LinkedBlockingQueue<String> queue;
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);

    BusinessNameLookup(
            Function<String, CompletableFuture<Optional<String>>> query,
            BiConsumer<String, String> found,
            int capacity,
            Duration interval,
            Duration timeout) {
        this.query = query;
        this.found = found;
        this.interval = interval;
        this.timeout = timeout;
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    void start(String name) {
        Thread.ofVirtual().name(name).start(this::run);
    }

    /** Queues a phone-number JID once; when the queue is full the contact is simply not asked about. */
    void offer(String phoneJid) {
        if (stopped.getCount() > 0 && phoneJid.endsWith("@s.whatsapp.net") && asked.add(phoneJid)) {
            queue.offer(phoneJid);
        }
    }

    void stop() {
        stopped.countDown();
    }

    private void run() {
        try {
            while (stopped.getCount() > 0) {
                String jid = queue.poll(interval.toMillis(), TimeUnit.MILLISECONDS);
                if (jid == null) {
                    continue;
                }
                try {
                    query.apply(jid)
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .ifPresent(name -> found.accept(jid, name));
                } catch (Exception ex) {
                    log.debug("Business name of {} not available: {}", jid, ex.toString());
                }
                if (stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
