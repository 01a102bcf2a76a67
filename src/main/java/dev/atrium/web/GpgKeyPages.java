package dev.atrium.web;

import dev.atrium.auth.User;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.signing.GpgKeys;
import dev.atrium.signing.GpgPublicKey;
import dev.atrium.signing.InvalidGpgKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Settings, GPG keys: the keys whose signatures make a user's commits show as verified. */
public final class GpgKeyPages {
    /**
     * One registered key as the page lists it; {@code matchesEmail}: one of its user ids is the account's email;
     * {@code state}: revoked or expired (and what that does to the commits it signs), or empty.
     */
    public record KeyRow(String id, String fingerprint, String keyIds, String emails, boolean matchesEmail,
                         String added, String state) {}

    private final Pages pages;
    private final GpgKeys keys;

    GpgKeyPages(Pages pages, GpgKeys keys) {
        this.pages = pages;
        this.keys = keys;
    }

    private static String state(GpgPublicKey key) {
        if (key.revoked()) {
            return "Revoked: no commit it signed shows as verified.";
        }
        return key.expiresAt().map(at -> (at.isBefore(Instant.now()) ? "Expired on " : "Expires on ")
                + at.toString().substring(0, 10) + ": commits it signs after that stay unverified.").orElse("");
    }

    void register(RoutesConfig routes) {
        routes.get("/settings/gpg-keys", pages.page(ctx -> page(ctx, 200, null, "")));
        routes.post("/settings/gpg-keys", pages.page(this::add));
        routes.post("/settings/gpg-keys/{id}/delete", pages.page(this::delete));
    }

    private void page(Context ctx, int status, @Nullable String error, String pasted) {
        User user = SignedIn.require(ctx).user();
        String email = user.email().toLowerCase(Locale.ROOT);
        List<KeyRow> rows = keys.of(user.id()).stream().map(k -> new KeyRow(k.id(), grouped(k.key().fingerprint()),
                String.join(", ", k.key().keyIds()), String.join(", ", k.key().emails().stream().sorted().toList()),
                k.key().emails().contains(email), Dates.iso(k.createdAt()).substring(0, 10), state(k.key()))).toList();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "GPG keys"));
        params.put("keys", rows);
        params.put("email", user.email());
        params.put("error", error);
        params.put("pasted", pasted);
        pages.render(ctx, status, "settings/gpgkeys.jte", params);
    }

    private void add(Context ctx) {
        User user = SignedIn.require(ctx).user();
        String pasted = ctx.formParam("key") == null ? "" : ctx.formParam("key");
        try {
            keys.add(user.id(), GpgPublicKey.parse(pasted));
        } catch (InvalidGpgKey | GpgKeys.KeyTaken | GpgKeys.TooManyKeys e) {
            // The text stays in the form, so a key cut short can be fixed rather than pasted again.
            page(ctx, 400, e.getMessage(), pasted.length() > GpgPublicKey.MAX_CHARS ? "" : pasted);
            return;
        }
        ctx.redirect("/settings/gpg-keys", HttpStatus.SEE_OTHER);
    }

    private void delete(Context ctx) {
        User user = SignedIn.require(ctx).user();
        if (!keys.delete(user.id(), ctx.pathParam("id"))) {
            throw new Errors.NotFound("No such GPG key");
        }
        ctx.redirect("/settings/gpg-keys", HttpStatus.SEE_OTHER);
    }

    /** In groups of four hex digits, as gpg --fingerprint prints it. */
    static String grouped(String fingerprint) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fingerprint.length(); i += 4) {
            out.append(i == 0 ? "" : " ").append(fingerprint, i, Math.min(i + 4, fingerprint.length()));
        }
        return out.toString();
    }
}
