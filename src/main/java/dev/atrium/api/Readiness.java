package dev.atrium.api;

import dev.atrium.DaemonThreads;
import dev.atrium.http.Json;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/health/ready}: whether this node can serve, for a load balancer in front of several nodes or a
 * monitor in front of one. {@code /api/health} says the process answers; this asks what it stands on (the database,
 * the blob store, the repositories' folder), each within {@link #TIMEOUT}, and answers 503 when one fails, naming
 * which. Why it failed goes to the log, not to an anonymous caller.
 */
public final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** One thing the node needs; {@code probe} throws when it is not there. */
    public record Check(String name, Probe probe) {}

    @FunctionalInterface
    public interface Probe {
        void run() throws Exception;
    }

    /** Each check's outcome ({@code ok}, {@code failing}, {@code timeout}), and whether all passed. */
    record Report(boolean ready, Map<String, String> checks) {}

    private final List<Check> checks;
    private final Duration timeout;
    /** A check that hangs (a database that does not answer) holds a thread of its own, not the request's. */
    private final ExecutorService probes = Executors.newCachedThreadPool(DaemonThreads.named("readiness"));

    public Readiness(List<Check> checks) {
        this(checks, TIMEOUT);
    }

    Readiness(List<Check> checks, Duration timeout) {
        this.checks = List.copyOf(checks);
        this.timeout = timeout;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/health/ready", ctx -> {
            Report report = check();
            Json.send(ctx, report.ready() ? 200 : 503, Map.of("status", report.ready() ? "ok" : "unavailable",
                    "checks", report.checks()));
        });
    }

    /** Runs every check at once and waits for each up to the timeout. */
    Report check() {
        Map<String, CompletableFuture<Void>> running = new LinkedHashMap<>();
        for (Check check : checks) {
            running.put(check.name(), CompletableFuture.runAsync(() -> {
                try {
                    check.probe().run();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, probes));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> outcomes = new LinkedHashMap<>();
        boolean ready = true;
        for (Map.Entry<String, CompletableFuture<Void>> check : running.entrySet()) {
            String outcome;
            try {
                check.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                outcome = "ok";
            } catch (TimeoutException e) {
                outcome = "timeout";
                LOG.warn("Readiness: {} did not answer within {} s", check.getKey(), timeout.toSeconds());
            } catch (ExecutionException e) {
                outcome = "failing";
                LOG.warn("Readiness: {} is failing: {}", check.getKey(), e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = "timeout";
            }
            ready &= outcome.equals("ok");
            outcomes.put(check.getKey(), outcome);
        }
        return new Report(ready, outcomes);
    }
}
