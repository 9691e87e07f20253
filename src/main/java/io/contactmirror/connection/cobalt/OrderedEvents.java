package io.contactmirror.connection.cobalt;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's events, applied one at a time in the order they were handed over, on one virtual thread. The queue
 * is bounded and a full queue blocks the thread handing over (Cobalt's), which slows that session down: an event is
 * never run ahead of queued ones or concurrently with them, as a caller-runs policy would.
 */
final class OrderedEvents {

    private static final Logger log = LoggerFactory.getLogger(OrderedEvents.class);
    private static final long POLL_MILLIS = 100;

    private final String name;
    private final BlockingQueue<Runnable> queue;
    private final Thread worker;
    private volatile boolean closed;

    OrderedEvents(String name, int capacity) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = Thread.ofVirtual().name(name).start(this::drain);
    }

    /**
     * Queues an event, waiting while the queue is full. Returns false when the event was dropped because the session
     * is closed (or the waiting thread was interrupted).
     */
    boolean submit(Runnable event) {
        try {
            while (!closed) {
                if (queue.offer(event, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Stops taking events; those already queued are still applied (their listener ignores them if stale). */
    void close() {
        closed = true;
    }

    int queued() {
        return queue.size();
    }

    private void drain() {
        try {
            while (!closed || !queue.isEmpty()) {
                Runnable event = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                try {
                    event.run();
                } catch (RuntimeException ex) {
                    log.warn("{}: handling an event failed: {}", name, ex.toString());
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isRunning() {
        return worker.isAlive();
    }
}
