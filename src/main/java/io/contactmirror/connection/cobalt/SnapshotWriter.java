package io.contactmirror.connection.cobalt;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the session snapshots Cobalt saves asynchronously, on one thread. At most one snapshot waits per session and
 * column: a newer one replaces the waiting one (the latest wins, and memory stays bounded by sessions x columns, however
 * often Cobalt saves or however slow the database is). A write that fails on a database error is retried after a pause
 * unless a newer snapshot arrived meanwhile; snapshots of a closed attempt are dropped.
 */
final class SnapshotWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotWriter.class);

    record Key(UUID session, String column) {}

    /** One encoded snapshot of a column, waiting to be encrypted and stored. */
    static final class Snapshot {
        final FencedSessionSerializer owner;
        final String column;
        final long sequence;
        final byte[] plaintext;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Snapshot(FencedSessionSerializer owner, String column, long sequence, byte[] plaintext) {
            this.owner = owner;
            this.column = column;
            this.sequence = sequence;
            this.plaintext = plaintext;
        }

        Key key() {
            return new Key(owner.session(), column);
        }
    }

    /** What the writer did so far; for tests and logs. */
    record Stats(long written, long superseded, long dropped, long failed) {}

    private final Duration retryDelay;
    private final Map<Key, Snapshot> waiting = new LinkedHashMap<>();
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopped;

    SnapshotWriter(String name, Duration retryDelay) {
        this.retryDelay = retryDelay;
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** Queues a snapshot in place of any waiting one of the same session and column; completes once handled. */
    CompletableFuture<Void> submit(Snapshot snapshot) {
        Snapshot replaced;
        synchronized (waiting) {
            if (stopped) {
                snapshot.done.complete(null);
                return snapshot.done;
            }
            replaced = waiting.put(snapshot.key(), snapshot);
            waiting.notifyAll();
        }
        if (replaced != null) {
            superseded.incrementAndGet();
            snapshot.done.whenComplete((ignored, failure) -> replaced.done.complete(null));
        }
        return snapshot.done;
    }

    /** Removes a waiting snapshot older than {@code sequence} (a synchronous write of a newer one is under way). */
    void supersede(Key key, long sequence) {
        Snapshot removed = null;
        synchronized (waiting) {
            Snapshot current = waiting.get(key);
            if (current != null && current.sequence < sequence) {
                removed = waiting.remove(key);
            }
        }
        if (removed != null) {
            superseded.incrementAndGet();
            removed.done.complete(null);
        }
    }

    /** Drops every waiting snapshot of an attempt (it was closed, fenced out, or its session deleted). */
    void drop(FencedSessionSerializer owner) {
        synchronized (waiting) {
            Iterator<Snapshot> it = waiting.values().iterator();
            while (it.hasNext()) {
                Snapshot snapshot = it.next();
                if (snapshot.owner == owner) {
                    it.remove();
                    dropped.incrementAndGet();
                    snapshot.done.complete(null);
                }
            }
        }
    }

    int waiting() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    Stats stats() {
        return new Stats(written.get(), superseded.get(), dropped.get(), failed.get());
    }

    private void run() {
        while (true) {
            Snapshot next;
            synchronized (waiting) {
                while (waiting.isEmpty() && !stopped) {
                    try {
                        waiting.wait();
                    } catch (InterruptedException ex) {
                        if (stopped) {
                            return;
                        }
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                Iterator<Snapshot> it = waiting.values().iterator();
                next = it.next();
                it.remove();
            }
            try {
                next.owner.persist(next);
                written.incrementAndGet();
                next.done.complete(null);
            } catch (RuntimeException ex) {
                failed.incrementAndGet();
                log.warn(
                        "Saving the {} of WhatsApp session {} failed, retrying in {}: {}",
                        next.column,
                        next.owner.session(),
                        retryDelay,
                        ex.toString());
                retry(next);
            }
        }
    }

    private void retry(Snapshot failedSnapshot) {
        synchronized (waiting) {
            if (!stopped && !failedSnapshot.owner.isClosed()) {
                Snapshot newer = waiting.putIfAbsent(failedSnapshot.key(), failedSnapshot);
                if (newer == null) {
                    failedSnapshot = null;
                }
            }
        }
        if (failedSnapshot != null) {
            failedSnapshot.done.complete(null);
        }
        try {
            Thread.sleep(retryDelay);
        } catch (InterruptedException ex) {
            // Stopping: the loop notices.
        }
    }

    /** Writes what is still waiting for up to a few seconds, then stops. */
    @Override
    public void close() {
        synchronized (waiting) {
            stopped = true;
            waiting.notifyAll();
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
