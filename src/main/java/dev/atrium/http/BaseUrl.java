package dev.atrium.http;

import io.javalin.http.Context;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * The URL clients reach Atrium at. Every URL Atrium emits must start with exactly what users put in HF_ENDPOINT:
 * the configured {@code --base-url} when there is one, otherwise the scheme and Host the request came in on.
 */
public final class BaseUrl {
    private final @Nullable String configured;

    public BaseUrl(@Nullable URI configured) {
        String text = configured == null ? null : configured.toString();
        while (text != null && text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        this.configured = text;
    }

    /** The configured URL, without a trailing slash; null when URLs follow each request's Host. */
    public @Nullable String configured() {
        return configured;
    }

    public String of(Context ctx) {
        if (configured != null) {
            return configured;
        }
        String host = ctx.header("Host");
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            host = ctx.req().getLocalAddr() + ":" + ctx.req().getLocalPort();
        }
        return ctx.scheme() + "://" + host;
    }
}
