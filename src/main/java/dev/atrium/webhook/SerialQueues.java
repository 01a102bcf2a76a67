package dev.atrium.webhook;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One queue of asynchronous jobs per key: a key's jobs run one at a time in the order given, and no key waits for
 * another's. A job that asks to be tried again waits on a timer, not on a thread, so a webhook whose receiver is down
 * (each delivery tried three times over seconds) or hangs (an answer awaited for seconds) delays only its own later
 * payloads, whatever the number of such webhooks.
 */
final class SerialQueues {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SerialQueues.class);

    /** One piece of work, tried until it says it is done. */
    interface Job {
        /**
         * Starts try number {@code attempt} (from 1). The future holds the wait before the next try, or nothing when
         * the job is done; a failed future ends the job too.
         */
        CompletableFuture<Optional<Duration>> attempt(int attempt);

        /** The job was not queued: its key already had {@code waiting} jobs waiting. */
        void dropped(int waiting);
    }

    private final ScheduledExecutorService executor;
    private final int limitPerKey;
    /** The jobs of each key with work, the first of them running; guarded by {@code this}. */
    private final Map<String, Deque<Job>> queues = new HashMap<>();

    /**
     * @param executor runs the jobs' starts and the timers; a job's own work should not block it
     * @param limitPerKey jobs a key may have waiting; more are dropped ({@link Job#dropped})
     */
    SerialQueues(ScheduledExecutorService executor, int limitPerKey) {
        this.executor = executor;
        this.limitPerKey = limitPerKey;
    }

    void submit(String key, Job job) {
        int waiting;
        synchronized (this) {
            Deque<Job> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
            waiting = queue.size();
            if (waiting < limitPerKey) {
                queue.add(job);
            }
        }
        if (waiting >= limitPerKey) {
            job.dropped(waiting);
        } else if (waiting == 0) {
            start(key, job, 1);
        }
    }

    private void start(String key, Job job, int attempt) {
        try {
            executor.execute(() -> run(key, job, attempt));
        } catch (RejectedExecutionException e) {
            // closing: what is queued is dropped, as on a restart
        }
    }

    private void run(String key, Job job, int attempt) {
        CompletableFuture<Optional<Duration>> tried;
        try {
            tried = job.attempt(attempt);
        } catch (RuntimeException e) {
            tried = CompletableFuture.failedFuture(e);
        }
        tried.whenComplete((retry, failure) -> {
            if (failure != null && !executor.isShutdown()) {
                LOG.warn("A queued job of {} failed: {}", key, failure.toString());
            }
            try {
                if (failure == null && retry.isPresent()) {
                    executor.schedule(() -> run(key, job, attempt + 1), retry.get().toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    executor.execute(() -> next(key));
                }
            } catch (RejectedExecutionException e) {
                // closing
            }
        });
    }

    private void next(String key) {
        Job following;
        synchronized (this) {
            Deque<Job> queue = queues.get(key);
            queue.poll();
            following = queue.peek();
            if (following == null) {
                queues.remove(key);
            }
        }
        if (following != null) {
            run(key, following, 1);
        }
    }
}
