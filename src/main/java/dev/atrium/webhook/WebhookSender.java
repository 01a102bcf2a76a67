package dev.atrium.webhook;

import dev.atrium.http.OutboundTargets;
import dev.atrium.http.OutboundTargetRefused;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * POSTs webhook payloads. The client resolves host names through {@link OutboundTargets#check} and connects only to
 * the addresses that passed, so a name cannot resolve to a public address when checked and to a private one when
 * connected to. Redirects are not followed: each would be a new, unchecked target.
 */
final class WebhookSender implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookSender.class);
    private final HttpClient http = new HttpClient();
    private final Duration timeout;

    WebhookSender(OutboundTargets targets, Duration timeout) {
        this.timeout = timeout;
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("webhook-client");
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setFollowRedirects(false);
        http.setConnectTimeout(Math.min(timeout.toMillis(), 5000));
        http.setIdleTimeout(30_000); // receivers are many and seldom called: do not keep their connections open
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Atrium-Webhooks/1"));
        http.setSocketAddressResolver((host, port, context, promise) -> {
            try {
                promise.succeeded(targets.check(host).stream().map(a -> new InetSocketAddress(a, port)).toList());
            } catch (OutboundTargetRefused | UnknownHostException e) {
                promise.failed(e);
            }
        });
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the webhook client", e);
        }
    }

    /**
     * POSTs {@code json} to {@code url}, with {@code secret} in {@code X-Webhook-Secret} when there is one. The future
     * holds the response's status (its content discarded), or fails with {@link OutboundTargetRefused} when the URL's
     * host is an address webhooks may not reach (nothing was sent), or with an {@link IOException} when the request
     * failed or got no answer in time. No thread waits for the answer.
     */
    CompletableFuture<Integer> send(URI url, @Nullable String secret, String json) {
        Request request = http.newRequest(url).method(HttpMethod.POST)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .body(new StringRequestContent("application/json", json));
        if (secret != null) {
            request.headers(headers -> headers.put("X-Webhook-Secret", secret));
        }
        CompletableFuture<Integer> status = new CompletableFuture<>();
        request.send(result -> {
            if (result.isFailed()) {
                status.completeExceptionally(failure(result.getFailure()));
            } else {
                status.complete(result.getResponse().getStatus());
            }
        });
        // The request's own timeout ends it first; this one only guards against a lost completion.
        status.orTimeout(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS).whenComplete((ignored, failure) -> {
            if (failure instanceof TimeoutException) {
                request.abort(failure);
            }
        });
        return status.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                failure instanceof TimeoutException ? new IOException("no answer within " + timeout.toSeconds() + " s")
                        : failure));
    }

    private static Throwable failure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutboundTargetRefused refused) {
                return refused;
            }
        }
        return failure instanceof IOException ? failure : new IOException(
                failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage(), failure);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the webhook client: {}", e.toString());
        }
    }
}
