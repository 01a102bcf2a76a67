package dev.atrium.space;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many of the hub's request threads forwarded requests may hold, for all apps together and for each: a
 * forwarded request holds a thread until the app has answered, so an app that never answers (broken, or written to
 * hang) would otherwise take every thread the hub has (Javalin's pool has 250) and stop it answering anyone.
 */
final class ForwardSlots {
    /** A request's place; closing it gives the place back. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore all;
    private final int perApp;
    private final Map<Integer, Semaphore> apps = new ConcurrentHashMap<>();

    ForwardSlots(int total, int perApp) {
        this.all = new Semaphore(total);
        this.perApp = perApp;
    }

    /** A place for a request to the app on {@code port}; empty when that app's share, or the apps' share, is full. */
    Optional<Slot> take(int port) {
        Semaphore app = apps.computeIfAbsent(port, p -> new Semaphore(perApp));
        if (!app.tryAcquire()) {
            return Optional.empty();
        }
        if (!all.tryAcquire()) {
            app.release();
            return Optional.empty();
        }
        return Optional.of(new Slot() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    all.release();
                    app.release();
                }
            }
        });
    }
}
