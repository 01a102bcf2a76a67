package dev.atrium;

import java.util.concurrent.ThreadFactory;

/** Threads of background work, named for thread dumps; daemons, so none of them keeps the process alive. */
public final class DaemonThreads {
    private DaemonThreads() {}

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
