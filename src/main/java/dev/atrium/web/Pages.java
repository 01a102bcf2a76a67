package dev.atrium.web;

import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;

/**
 * Renders the server-side pages: templates from {@code src/main/jte}, compiled to classes at build time. Every page
 * goes out with a Content-Security-Policy that allows only this origin's own scripts and styles, so even markup that
 * slipped past the card sanitizer could not run a script.
 */
public final class Pages {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:;"
            + " object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void render(Context ctx, int status, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        secure(ctx);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    /**
     * A page made to be framed by the hub's own pages (a dataset's preview in its card page): the same policy, but
     * this origin may frame it.
     */
    public void renderFramed(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        secure(ctx);
        ctx.header("Content-Security-Policy", CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
        ctx.header("X-Frame-Options", "SAMEORIGIN");
        ctx.status(200).contentType("text/html; charset=utf-8").result(out.toString());
    }

    static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
    }

    /** A page's work, which may fail with a {@link HubException}. */
    @FunctionalInterface
    public interface PageWork {
        void run() throws Exception;
    }

    /** Runs {@code work} for {@code ctx} with failures turned into pages, as {@link #page} does. */
    public void run(Context ctx, PageWork work) throws Exception {
        page(c -> work.run()).handle(ctx);
    }

    /**
     * A page handler whose failures become pages: a missing or unreadable repo, revision or file is the same 404
     * page (a private repo must look absent), other refusals their status with the message.
     */
    public Handler page(Handler handler) {
        return ctx -> {
            if (ctx.path().startsWith("/api/")) {
                // No page lives under /api/ (a repo page's route matches /api/x otherwise): API clients get the
                // API's JSON 404, never an HTML page.
                throw new Errors.NotFound("Not found: " + ctx.method() + " " + ctx.path());
            }
            try {
                handler.handle(ctx);
            } catch (dev.atrium.repo.InvalidPathException e) {
                render(ctx, 400, "error.jte", Map.of("frame", Frame.of(ctx, "Bad request"), "status", 400,
                        "message", e.getMessage()));
            } catch (HubException e) {
                // Anonymous visitors get the API's 401 for a repo they cannot see; a page shows them the 404 that
                // everyone else sees, so a private repo's existence never shows.
                int status = e.status() == 401 ? 404 : e.status();
                if (status >= 300 && status < 400) { // a moved repo: its old URLs redirect, as the API's do
                    e.headers().forEach(ctx::header);
                    ctx.status(status);
                    return;
                }
                String title = status == 404 ? "Not found" : status == 403 ? "Forbidden"
                        : status == 401 ? "Sign in required" : "Something went wrong";
                String message = status == 404 ? "This page does not exist, or you do not have access to it."
                        : e.getMessage();
                render(ctx, status, "error.jte", Map.of("frame", Frame.of(ctx, title), "status", status,
                        "message", message));
            }
        };
    }
}
