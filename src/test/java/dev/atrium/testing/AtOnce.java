package dev.atrium.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs tasks on as many threads, released together, for tests of what must hold when requests race. */
public final class AtOnce {
    private AtOnce() {}

    /** How many of {@code tasks} completed; a task that throws {@code refusal} counts as refused, anything else fails. */
    public static int succeeded(List<? extends Callable<?>> tasks, Class<? extends Exception> refusal)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> tries = new ArrayList<>();
            for (Callable<?> task : tasks) {
                tries.add(pool.submit(() -> {
                    start.await();
                    try {
                        task.call();
                        return true;
                    } catch (Exception e) {
                        if (refusal.isInstance(e)) {
                            return false;
                        }
                        throw e;
                    }
                }));
            }
            start.countDown();
            int done = 0;
            for (Future<Boolean> t : tries) {
                done += t.get() ? 1 : 0;
            }
            return done;
        } finally {
            pool.shutdown();
        }
    }
}
