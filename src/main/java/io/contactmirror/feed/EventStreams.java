package io.contactmirror.feed;

import io.contactmirror.changelog.ChangeEvent;
import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeNotifier;
import io.contactmirror.changelog.ChangeRecord;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.instance.Instance;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open live streams of this replica. Each stream runs on its own virtual thread: it reads the change log after
 * its position, sends what matches its filter, and then waits for a commit notification, the poll interval or its
 * next heartbeat. At shutdown every stream is ended first (before the web server drains), so clients reconnect
 * elsewhere with their Last-Event-ID instead of holding the shutdown up.
 */
@Component
@EnableConfigurationProperties(FeedProperties.class)
class EventStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
    private static final int BATCH = 500;

    private final ChangeLog changeLog;
    private final ChangeNotifier notifier;
    private final FeedProperties properties;
    private final Map<UUID, AtomicInteger> perToken = new ConcurrentHashMap<>();
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    EventStreams(ChangeLog changeLog, ChangeNotifier notifier, FeedProperties properties) {
        this.changeLog = changeLog;
        this.notifier = notifier;
        this.properties = properties;
    }

    /** Takes one of the token's stream slots; false when it holds the maximum already. */
    boolean acquire(UUID token) {
        AtomicInteger count = perToken.computeIfAbsent(token, key -> new AtomicInteger());
        if (count.incrementAndGet() > properties.maxStreamsPerToken()) {
            release(token);
            return false;
        }
        return true;
    }

    private void release(UUID token) {
        perToken.computeIfPresent(token, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    int maxStreamsPerToken() {
        return properties.maxStreamsPerToken();
    }

    /** Starts a stream that holds an acquired slot of {@code token}; the slot is released when it ends. */
    SseEmitter open(UUID token, Instance instance, long position, Set<ChangeType> types) {
        // Spring's own timeout only as a safety net: the stream itself ends at maxStreamDuration.
        SseEmitter emitter =
                new SseEmitter(properties.maxStreamDuration().plusSeconds(30).toMillis());
        Stream stream = new Stream(token, instance, position, types, emitter);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(error -> stream.close());
        open.add(stream);
        if (!running) {
            stream.close();
        }
        Thread.ofVirtual().name("event-stream-" + instance.id()).start(stream::run);
        return emitter;
    }

    private final class Stream {
        private final UUID token;
        private final Instance instance;
        private final Set<ChangeType> types;
        private final SseEmitter emitter;
        private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);
        private volatile boolean closed;
        private long position;

        Stream(UUID token, Instance instance, long position, Set<ChangeType> types, SseEmitter emitter) {
            this.token = token;
            this.instance = instance;
            this.position = position;
            this.types = types;
            this.emitter = emitter;
        }

        void wake() {
            wakeUps.offer(Boolean.TRUE);
        }

        void close() {
            closed = true;
            wake();
        }

        void run() {
            long deadline = System.nanoTime() + properties.maxStreamDuration().toNanos();
            long heartbeat = properties.heartbeatInterval().toNanos();
            long poll = notifier.pollInterval().toNanos();
            long lastWrite = System.nanoTime();
            try (var subscription = notifier.subscribe(instance.id(), this::wake)) {
                while (!closed && System.nanoTime() < deadline) {
                    ChangeLog.Page page = changeLog.read(instance.id(), position, BATCH);
                    if (page.expired(position)) {
                        // Only a stream stalled for the whole retention gets here; its client must re-read the list.
                        emitter.send(SseEmitter.event()
                                .name("error")
                                .data(FeedPositions.expired(page.prunedThrough())
                                        .getMessage()));
                        break;
                    }
                    for (ChangeRecord record : page.records()) {
                        if (types.isEmpty() || types.contains(record.type())) {
                            emitter.send(SseEmitter.event()
                                    .id(new Cursor(instance.id(), record.seq()).encode())
                                    .name(record.type().wireName())
                                    .data(ChangeEvent.of(record, instance.instanceName()), MediaType.APPLICATION_JSON));
                            lastWrite = System.nanoTime();
                        }
                        position = record.seq();
                    }
                    if (page.records().size() == BATCH) {
                        continue;
                    }
                    long now = System.nanoTime();
                    long wait = Math.min(Math.min(poll, deadline - now), lastWrite + heartbeat - now);
                    if (wait > 0 && wakeUps.poll(wait, TimeUnit.NANOSECONDS) != null) {
                        continue;
                    }
                    if (System.nanoTime() - lastWrite >= heartbeat) {
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                        lastWrite = System.nanoTime();
                    }
                }
                emitter.complete();
            } catch (IOException | IllegalStateException ex) {
                // The client left (or the emitter already completed): nothing to tell anyone.
                log.debug("Event stream of instance {} ended: {}", instance.id(), ex.toString());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } catch (RuntimeException ex) {
                // The database went away mid-stream: end it; the client reconnects with its Last-Event-ID.
                log.warn("Event stream of instance {} failed: {}", instance.id(), ex.toString());
                emitter.complete();
            } finally {
                closed = true;
                open.remove(this);
                release(token);
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream and waits briefly for them to finish, before the web server's graceful shutdown. */
    @Override
    public void stop() {
        running = false;
        open.forEach(Stream::close);
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!open.isEmpty() && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Above the web server's graceful shutdown phase, so streams end before it waits for requests.
        return Integer.MAX_VALUE;
    }
}
