package dev.atrium.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the throwaway servers the tests start (S3Proxy, clamd) share: waiting for them, and stopping them. */
final class Daemons {
    /** Tries to reach the server once; throws while it does not answer yet. */
    @FunctionalInterface
    interface Probe {
        void reach() throws IOException;
    }

    private Daemons() {}

    /** Returns once {@code probe} reaches the server; fails with its log if it exits or does not answer in time. */
    static void awaitListening(String name, Process process, Supplier<String> log, Duration timeout, Probe probe) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited: " + log.get());
            }
            try {
                probe.reach();
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
        throw new AssertionError(name + " did not listen within " + timeout + ": " + log.get());
    }

    /** Stops the server (forcibly after 10 s) and deletes its folder, as far as it can. */
    static void stop(Process process, Path dir) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            ItPaths.deleteRecursively(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException e) {
            System.err.println("left " + dir + " behind: " + e.getCause());
        }
    }
}
