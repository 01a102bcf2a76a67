package dev.atrium.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialQueuesTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Logs each try; asks for {@code tries - 1} more after {@code wait}; finishes by counting {@code done} down. */
    private SerialQueues.Job job(String name, int tries, Duration wait, CountDownLatch done) {
        return new SerialQueues.Job() {
            @Override
            public CompletableFuture<Optional<Duration>> attempt(int attempt) {
                log.add(name + "#" + attempt);
                if (attempt < tries) {
                    return CompletableFuture.completedFuture(Optional.of(wait));
                }
                done.countDown();
                return CompletableFuture.completedFuture(Optional.empty());
            }

            @Override
            public void dropped(int waiting) {
                log.add(name + " dropped behind " + waiting);
            }
        };
    }

    @Test
    void aKeysJobsRunInOrder_retriesIncluded_whileOtherKeysGoOn() throws Exception {
        SerialQueues queues = new SerialQueues(executor, 10);
        CountDownLatch slowDone = new CountDownLatch(2);
        CountDownLatch quickDone = new CountDownLatch(2);
        queues.submit("slow", job("s1", 3, Duration.ofMillis(200), slowDone));
        queues.submit("slow", job("s2", 1, Duration.ZERO, slowDone));
        queues.submit("quick", job("q1", 1, Duration.ZERO, quickDone));
        queues.submit("quick", job("q2", 1, Duration.ZERO, quickDone));
        quickDone.await(5, TimeUnit.SECONDS);
        assertEquals(List.of("q1#1", "q2#1"), log.stream().filter(e -> e.startsWith("q")).toList());
        assertEquals(List.of("s1#1"), log.stream().filter(e -> e.startsWith("s")).toList(),
                "the other key's jobs did not wait for this one's retry");
        slowDone.await(5, TimeUnit.SECONDS);
        assertEquals(List.of("s1#1", "s1#2", "s1#3", "s2#1"), log.stream().filter(e -> e.startsWith("s")).toList());
    }

    @Test
    void aFailedTry_endsItsJob_andTheNextRuns() throws Exception {
        SerialQueues queues = new SerialQueues(executor, 10);
        CountDownLatch done = new CountDownLatch(1);
        queues.submit("k", new SerialQueues.Job() {
            @Override
            public CompletableFuture<Optional<Duration>> attempt(int attempt) {
                log.add("broken#" + attempt);
                return CompletableFuture.failedFuture(new IllegalStateException("boom"));
            }

            @Override
            public void dropped(int waiting) {}
        });
        queues.submit("k", job("next", 1, Duration.ZERO, done));
        done.await(5, TimeUnit.SECONDS);
        assertEquals(List.of("broken#1", "next#1"), log);
    }

    @Test
    void beyondTheLimit_jobsAreDropped_andTheQueuedOnesStillRun() throws Exception {
        SerialQueues queues = new SerialQueues(executor, 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        queues.submit("k", new SerialQueues.Job() {
            @Override
            public CompletableFuture<Optional<Duration>> attempt(int attempt) {
                log.add("first#" + attempt);
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Optional.empty();
                });
            }

            @Override
            public void dropped(int waiting) {}
        });
        queues.submit("k", job("second", 1, Duration.ZERO, done));
        queues.submit("k", job("third", 1, Duration.ZERO, new CountDownLatch(1)));
        release.countDown();
        done.await(5, TimeUnit.SECONDS);
        assertEquals(java.util.Set.of("third dropped behind 2", "first#1", "second#1"), java.util.Set.copyOf(log));
        assertEquals(List.of("first#1", "second#1"), log.stream().filter(e -> e.contains("#")).toList());
    }
}
