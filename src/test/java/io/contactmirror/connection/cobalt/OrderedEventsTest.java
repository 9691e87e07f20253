package io.contactmirror.connection.cobalt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A session's events under backpressure: the producer waits, nothing runs out of order or concurrently. */
class OrderedEventsTest {

    @Test
    void aFullQueueBlocksTheProducerWithoutReorderingOrConcurrency() throws Exception {
        var events = new OrderedEvents("test-events", 4);
        var release = new CountDownLatch(1);
        List<Integer> applied = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostConcurrent = new AtomicInteger();
        AtomicInteger handedOver = new AtomicInteger();

        Thread producer = Thread.ofPlatform().name("cobalt-thread").start(() -> {
            for (int i = 0; i < 50; i++) {
                int number = i;
                events.submit(() -> {
                    mostConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
                    threads.add(Thread.currentThread().getName());
                    if (number == 0) {
                        try {
                            release.await();
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    applied.add(number);
                    running.decrementAndGet();
                });
                handedOver.incrementAndGet();
            }
        });

        // Event 0 is being applied and holds the queue; 4 wait; the producer is stuck handing over the sixth.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> handedOver.get() == 5 && producer.getState() == Thread.State.TIMED_WAITING);
        Thread.State state = producer.getState();
        assertThat(handedOver).hasValue(5);
        assertThat(applied).isEmpty();
        assertThat(state).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);

        release.countDown();
        producer.join(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> applied.size() == 50);
        assertThat(applied)
                .containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(mostConcurrent).hasValue(1);
        assertThat(threads).doesNotContain("cobalt-thread");
        events.close();
    }

    @Test
    void afterCloseNewEventsAreDroppedAndAWaitingProducerIsReleased() throws Exception {
        var events = new OrderedEvents("test-events", 1);
        var release = new CountDownLatch(1);
        events.submit(() -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> events.queued() == 0);
        assertThat(events.submit(() -> {})).isTrue();
        var result = new java.util.concurrent.CompletableFuture<Boolean>();
        Thread.ofVirtual().start(() -> result.complete(events.submit(() -> {})));
        events.close();
        assertThat(result.get(5, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
        assertThat(events.submit(() -> {})).isFalse();
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> !events.isRunning());
    }
}
