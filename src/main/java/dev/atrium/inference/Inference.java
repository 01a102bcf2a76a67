package dev.atrium.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.DaemonThreads;
import dev.atrium.http.Json;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Revisions;
import dev.atrium.search.RepoFacts;
import dev.atrium.search.RepoFactsReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Runs a model of the hub on inputs: what the inference API and the model pages' widget call.
 *
 * <p>Models run in one Python worker, one request at a time (on a CPU a second request at once would only halve the
 * speed of both); at most {@link InferenceSettings#waiting()} more wait, and the rest get 503. A request that runs
 * past the timeout has its worker killed, and the next one starts a fresh worker. Each request runs the default
 * branch as it is when the request's turn comes.
 */
public final class Inference implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Inference.class);
    private static final String DEFAULT_BRANCH = Revisions.DEFAULT_BRANCH;

    private final InferenceSettings settings;
    private final RepoService repoService;
    private final RepoFactsReader facts;
    private final ModelSnapshots snapshots;
    private final InferenceWorker worker;
    private final Semaphore places;
    /** Each caller's jobs waiting or running. */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The number of the job the runner has, if any. */
    private volatile long running;
    /** Numbers jobs; the worker's answers carry their job's number. */
    private final java.util.concurrent.atomic.AtomicLong jobs = new java.util.concurrent.atomic.AtomicLong();
    /** How many jobs one caller may have waiting or running: one script must not take every place. */
    static final int PER_CALLER = 2;
    private final ExecutorService runner;
    private final ScheduledExecutorService watchdog;
    /**
     * Each commit's {@code pipeline_tag}, kept: reading a model's facts reads its card, config and weight headers,
     * which would cost more than a small model's inference. Used only from the runner's thread.
     */
    private final Map<String, Optional<String>> tagsByCommit = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
            return size() > 256;
        }
    };

    public Inference(InferenceSettings settings, Path dataDir, RepoService repoService, LfsObjects lfs,
                     RepoFactsReader facts) throws IOException {
        this.settings = settings;
        this.repoService = repoService;
        this.facts = facts;
        Path home = dataDir.resolve("inference");
        this.snapshots = new ModelSnapshots(home.resolve("models"), lfs, settings.modelBytes(), 4);
        // A whole snapshot is named by its commit and never changes: it stays for the next start. Half-written ones go.
        snapshots.removeUnfinished();
        this.worker = settings.enabled() ? new InferenceWorker(settings.python(), home) : null;
        this.places = new Semaphore(settings.waiting() + 1);
        this.runner = Executors.newSingleThreadExecutor(DaemonThreads.named("inference"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("inference-watchdog"));
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * The task this hub runs a model for, if it runs the model at all: for the widget, and {@code inference: warm} in
     * the model's info. The facts tell whether the model has a config and safetensors weights, which
     * {@link ModelSnapshots} requires too.
     */
    public Optional<String> runs(RepoFacts facts) {
        return settings.enabled() && weightBytes(facts) <= settings.modelBytes() ? runnable(facts) : Optional.empty();
    }

    /** Bytes per parameter of the safetensors dtypes; others count as 4. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(Map.entry("F64", 8), Map.entry("I64", 8),
            Map.entry("F32", 4), Map.entry("I32", 4), Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I16", 2),
            Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("BOOL", 1), Map.entry("F8_E4M3", 1),
            Map.entry("F8_E5M2", 1));

    /** The size of a model's weights from its safetensors headers' parameter counts, which the facts hold. */
    static long weightBytes(RepoFacts facts) {
        long bytes = 0;
        var parameters = facts.extra().path("safetensors").path("parameters").fields();
        while (parameters.hasNext()) {
            var dtype = parameters.next();
            bytes += dtype.getValue().asLong() * DTYPE_BYTES.getOrDefault(dtype.getKey(), 4);
        }
        return bytes;
    }

    /** The task a hub with inference on would run a model for: what {@link #RUNNABLE} marks in the listings. */
    public static Optional<String> runnable(RepoFacts facts) {
        return Optional.of(facts).filter(f -> f.extra().has("config") && f.extra().has("safetensors"))
                .flatMap(RepoFacts::pipelineTag).filter(InferenceTasks::served)
                // Sentence similarity needs a sentence-transformers model (its modules.json).
                .filter(task -> !task.equals("sentence-similarity")
                        || facts.libraryName().filter("sentence-transformers"::equals).isPresent());
    }

    /**
     * The filter tag of the models {@link #runnable}: {@code list_models(inference="warm")} looks for it. Which
     * models are runnable is part of what the index reads: a change to it (a task served) raises
     * {@link dev.atrium.search.RepoIndexer#FACTS_VERSION}.
     */
    public static final String RUNNABLE = dev.atrium.search.RepoIndexer.DERIVED_PREFIX + "runnable";

    /**
     * Runs {@code repo}'s model for {@code task}, or for its {@code pipeline_tag} when no task is named, and answers
     * what the pipeline returned, as JSON.
     */
    public JsonNode run(String caller, Repo repo, Optional<String> task, JsonNode inputs, JsonNode parameters) {
        return submit(new Job(jobs.incrementAndGet(), caller, repo, Optional.empty(), task, inputs, parameters, false,
                text -> { }));
    }

    /** The same for a request whose body is the input itself (an image), which only image tasks take. */
    public JsonNode runOnBody(String caller, Repo repo, Optional<String> task, byte[] body, JsonNode parameters) {
        return submit(new Job(jobs.incrementAndGet(), caller, repo, Optional.empty(), task,
                Json.MAPPER.getNodeFactory().textNode(Base64.getEncoder().encodeToString(body)), parameters, true,
                text -> { }));
    }

    /** What a completion generates from: a chat's messages, through the model's chat template, or a text prompt. */
    public enum Generation {
        CHAT("chat-completion"), TEXT("completion");

        /** The worker's name for it. */
        private final String task;

        Generation(String task) {
            this.task = task;
        }
    }

    /**
     * A completion by {@code repo}'s model ({@link CompletionRequests} checks the request): the worker's result, its
     * text and token counts. With {@code parameters.stream}, each piece of text goes to {@code chunks} first, from the
     * worker's thread, as the model writes it.
     */
    public JsonNode generate(String caller, Repo repo, Generation kind, JsonNode inputs, JsonNode parameters,
                             Consumer<String> chunks) {
        return submit(new Job(jobs.incrementAndGet(), caller, repo, Optional.of(kind.task), Optional.empty(), inputs,
                parameters, false, chunks));
    }

    /**
     * One request for the worker.
     *
     * @param caller     who asks (a user, or an anonymous caller's address): each has a share of the queue
     * @param generation the worker's name of a completion; else a pipeline runs, for {@code task} or the model's own
     * @param inputs     as the worker takes them; a body is in base64
     * @param fromBody   the inputs were the request's body
     */
    private record Job(long id, String caller, Repo repo, Optional<String> generation, Optional<String> task,
                       JsonNode inputs, JsonNode parameters, boolean fromBody, Consumer<String> chunks) {}

    private JsonNode submit(Job job) {
        Ticket answer = queue(job);
        try {
            return outcome(answer);
        } finally {
            leave(answer);
        }
    }

    /** A job's place in the queue: its result to come, and whose it is. */
    public record Ticket(Future<JsonNode> result, String caller, long id) {}

    /**
     * A streamed completion: the worker's pieces of text arrive in {@code pieces}, which the caller drains in its own
     * thread (a slow reader must not hold the worker's), until the ticket's result is done. The caller must
     * {@link #leave} it.
     */
    public record Streaming(Ticket ticket, java.util.concurrent.BlockingQueue<String> pieces) {}

    public Streaming generateStreaming(String caller, Repo repo, Generation kind, JsonNode inputs,
                                       JsonNode parameters) {
        var pieces = new java.util.concurrent.LinkedBlockingQueue<String>();
        return new Streaming(queue(new Job(jobs.incrementAndGet(), caller, repo, Optional.of(kind.task),
                Optional.empty(), inputs, parameters, false, pieces::add)), pieces);
    }

    /** The result of a finished job, or the failure it ended with, as the caller should answer it. */
    public static JsonNode outcome(Ticket done) {
        try {
            return done.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceErrors.Failed("Interrupted while waiting for the inference worker");
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (java.util.concurrent.CancellationException e) {
            throw new InferenceErrors.Failed("The request was cancelled");
        }
    }

    /**
     * Ends the job early: a queued one never starts, a running generation stops at its next token (the worker still
     * answers it, and the caller still {@link #leave}s it).
     */
    public void cancel(Ticket ticket) {
        if (worker != null) {
            worker.cancel(ticket.id());
        }
        if (running != ticket.id()) {
            // Not started yet (a running job's future is left to deliver its answer).
            ticket.result().cancel(false);
        }
    }

    /** Gives back the job's place in the queue; a job that has not started yet never will. */
    public void leave(Ticket ticket) {
        ticket.result().cancel(false);
        places.release();
        inFlight.computeIfPresent(ticket.caller(), (caller, count) -> count > 1 ? count - 1 : null);
    }

    /** Takes a place in the queue, or turns the job away: the queue is full, or the caller has its share of it. */
    private Ticket queue(Job job) {
        if (!settings.enabled()) {
            throw InferenceErrors.NotServed.off();
        }
        int mine = inFlight.merge(job.caller(), 1, Integer::sum);
        if (mine > PER_CALLER) {
            inFlight.computeIfPresent(job.caller(), (caller, count) -> count > 1 ? count - 1 : null);
            throw new InferenceErrors.TooMany(PER_CALLER);
        }
        if (!places.tryAcquire()) {
            inFlight.computeIfPresent(job.caller(), (caller, count) -> count > 1 ? count - 1 : null);
            throw new InferenceErrors.Busy();
        }
        try {
            return new Ticket(runner.submit(() -> runNow(job)), job.caller(), job.id());
        } catch (RuntimeException e) {
            leave(new Ticket(java.util.concurrent.CompletableFuture.completedFuture(null), job.caller(), job.id()));
            throw e;
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        // Writing the model's files out failed (a full disk, say): the details, with their paths, are for the log.
        LOG.warn("Inference failed: {}", e.getCause().toString());
        return new InferenceErrors.Failed("Inference failed on the server; its log says why");
    }

    /** Drops the snapshots of a repo that was deleted or renamed. */
    public void forget(Repo repo) {
        runner.execute(() -> {
            try {
                snapshots.forget(repo);
            } catch (IOException e) {
                LOG.warn("Removing the inference snapshots of {}: {}",
                        repo.repoId(), e.toString());
            }
        });
    }

    private JsonNode runNow(Job job) throws IOException {
        running = job.id();
        Repo repo = job.repo();
        Path folder;
        String task;
        try (Repository git = repoService.openGit(repo)) {
            RevCommit head = Revisions.resolve(git, DEFAULT_BRANCH).commit();
            task = job.generation().isPresent() ? job.generation().get() : task(git, repo, head, job.task());
            if (job.fromBody() && !InferenceTasks.takesImages(task)) {
                throw new InferenceErrors.BadInputs(task + " takes JSON: {\"inputs\": ..., \"parameters\": {...}}");
            }
            folder = snapshots.folder(git, repo, head);
        } catch (dev.atrium.http.Errors.RevisionNotFound e) {
            throw InferenceErrors.NotServed.model(repo.repoId() + " has no commits on " + DEFAULT_BRANCH);
        }
        return call(job.id(), repo, folder, task, job.inputs(), job.parameters(), job.chunks());
    }

    /** The task named, or the model's {@code pipeline_tag}; one the worker runs. */
    private String task(Repository git, Repo repo, RevCommit head, Optional<String> requested) throws IOException {
        Optional<String> named = requested;
        if (named.isEmpty()) {
            String key = repo.id() + "@" + head.name();
            named = tagsByCommit.get(key);
            if (named == null) {
                named = facts.read(git, repo, head).pipelineTag();
                tagsByCommit.put(key, named);
            }
        }
        String task = named.orElseThrow(() -> InferenceErrors.NotServed.model(repo.repoId()
                + " names no task (pipeline_tag in its README)"));
        if (!InferenceTasks.served(task)) {
            throw InferenceErrors.NotServed.model("The hub does not run models for " + task + "; it runs "
                    + String.join(", ", InferenceTasks.SERVED.keySet()));
        }
        return task;
    }

    private JsonNode call(long id, Repo repo, Path folder, String task, JsonNode inputs, JsonNode parameters,
                          Consumer<String> chunks) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", folder.toString());
        request.put("task", task);
        request.put("inputs", inputs);
        request.put("parameters", parameters);
        AtomicBoolean timedOut = new AtomicBoolean();
        Process running;
        try {
            running = worker.start();
        } catch (IOException e) {
            LOG.warn("Starting the inference worker failed: {}", e.toString());
            throw new InferenceErrors.Failed("The inference worker could not start; the server's log says why");
        }
        ScheduledFuture<?> stop = watchdog.schedule(() -> {
            timedOut.set(true);
            worker.stop(running);
        }, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        JsonNode answer;
        try {
            answer = worker.call(id, request, chunks);
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new InferenceErrors.TimedOut(settings.timeout());
            }
            throw new InferenceErrors.Failed("Inference failed: " + e.getMessage());
        } finally {
            stop.cancel(false);
        }
        if (answer.has("result")) {
            return answer.get("result");
        }
        // The worker's messages may name the snapshot's folder: the caller sees the repo instead.
        String message = answer.path("error").asText("the worker gave no answer")
                .replace(folder.toString(), repo.repoId().toString());
        throw switch (answer.path("kind").asText()) {
            case "input" -> new InferenceErrors.BadInputs(message);
            case "model" -> InferenceErrors.NotServed.model(message);
            default -> new InferenceErrors.Failed(message);
        };
    }

    @Override
    public void close() {
        // Jobs still queued are cancelled, so that their callers stop waiting.
        runner.shutdownNow().forEach(job -> {
            if (job instanceof Future<?> future) {
                future.cancel(false);
            }
        });
        watchdog.shutdownNow();
        if (worker != null) {
            worker.close();
        }
    }
}
