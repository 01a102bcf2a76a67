package dev.atrium.space;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.auth.SealedSecrets;
import dev.atrium.auth.ServerSecret;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * A Space's variables and secrets: environment variables of its app, set by its writers. Variables can be read back
 * by anyone who may read the Space, as on the Hub; a secret's value never leaves the hub except into the app's
 * environment, and is kept sealed (AES-GCM, bound to its Space and name) under a key derived from the server secret.
 */
public final class SpaceVariables {
    /** One variable or secret as listed: a secret's value is never listed. */
    public record Entry(String name, boolean secret, @Nullable String value, @Nullable String description,
                        long updatedAt) {}

    /** One variable or secret as a request gives it (create_repo's and duplicate_space's lists). */
    public record Setting(String name, String value, @Nullable String description) {
        public Setting {
            check(name, value, description);
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** What the hub sets for every app, and what the app's Python and shell depend on. */
    private static final Set<String> RESERVED = Set.of("PATH", "HOME", "LANG", "PYTHONUNBUFFERED", "PYTHONPATH",
            "PYTHONHOME", "LD_PRELOAD", "LD_LIBRARY_PATH", "SYSTEM", "SPACE_ID", "SPACE_AUTHOR_NAME", "SPACE_REPO_NAME");
    private static final int MAX_VALUE_BYTES = 64 * 1024;
    private static final int MAX_ENTRIES = 100;

    private final Jdbi jdbi;
    private final Clock clock;
    private final SealedSecrets sealed;

    public SpaceVariables(Jdbi jdbi, ServerSecret serverSecret, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.sealed = new SealedSecrets(serverSecret, "space-secrets");
    }

    /** The Space's variables (with values) or secrets (without), by name. */
    public List<Entry> list(Repo space, boolean secrets) {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, value, description, updated_at FROM space_variables"
                        + " WHERE repo_id = :r AND secret = :s ORDER BY name")
                .bind("r", space.id()).bind("s", secrets)
                .map((rs, c) -> new Entry(rs.getString(1), secrets, secrets ? null : rs.getString(2), rs.getString(3),
                        rs.getLong(4)))
                .list());
    }

    /** Adds or replaces {@code name}; a name already used by the other kind is refused. */
    public void put(Repo space, String name, String value, @Nullable String description, boolean secret) {
        check(name, value, description);
        String stored = secret ? seal(space, name, value) : value;
        jdbi.useTransaction(h -> {
            var existing = h.createQuery("SELECT secret FROM space_variables WHERE repo_id = :r AND name = :n")
                    .bind("r", space.id()).bind("n", name).mapTo(Boolean.class).findOne();
            if (existing.isPresent() && existing.get() != secret) {
                throw new Errors.Conflict(name + " is already a " + (secret ? "variable" : "secret")
                        + " of this Space; delete it first");
            }
            if (existing.isEmpty() && h.createQuery("SELECT COUNT(*) FROM space_variables WHERE repo_id = :r")
                    .bind("r", space.id()).mapTo(Integer.class).one() >= MAX_ENTRIES) {
                throw new Errors.BadRequest("A Space has at most " + MAX_ENTRIES + " variables and secrets");
            }
            h.createUpdate("DELETE FROM space_variables WHERE repo_id = :r AND name = :n")
                    .bind("r", space.id()).bind("n", name).execute();
            h.createUpdate("INSERT INTO space_variables (repo_id, name, secret, value, description, updated_at)"
                            + " VALUES (:r, :n, :s, :v, :d, :t)")
                    .bind("r", space.id()).bind("n", name).bind("s", secret).bind("v", stored)
                    .bind("d", description).bind("t", clock.millis()).execute();
        });
    }

    /**
     * The {@code field} list of a request body ({@code [{key, value, description?}]}), each checked, so that a repo
     * is not made with some of its settings refused.
     */
    public static List<Setting> requested(JsonNode body, String field) {
        JsonNode list = body.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new Errors.BadRequest("'" + field + "' must be a list of {key, value, description}");
        }
        List<Setting> settings = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw new Errors.BadRequest("'" + field + "' must be a list of {key, value, description}");
            }
            settings.add(new Setting(Json.text(item, "key"), Json.text(item, "value"),
                    Json.text(item, "description")));
        }
        return settings;
    }

    /** Sets each of {@code settings}, as variables or as secrets. */
    public void putAll(Repo space, List<Setting> settings, boolean secret) {
        for (Setting s : settings) {
            put(space, s.name(), s.value(), s.description(), secret);
        }
    }

    /** Gives {@code copy} the variables of {@code source} (not its secrets), as duplicating a Space does. */
    public void copyVariables(Repo source, Repo copy) {
        for (Entry e : list(source, false)) {
            put(copy, e.name(), e.value(), e.description(), false);
        }
    }

    /** Removes {@code name} if it is of this kind; whether it was there. */
    public boolean delete(Repo space, String name, boolean secret) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM space_variables"
                        + " WHERE repo_id = :r AND name = :n AND secret = :s")
                .bind("r", space.id()).bind("n", name).bind("s", secret).execute()) > 0;
    }

    /** What the app's environment gets: every variable and secret, secrets unsealed. */
    public Map<String, String> environment(Repo space) {
        Map<String, String> env = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT name, secret, value FROM space_variables WHERE repo_id = :r"
                        + " ORDER BY name")
                .bind("r", space.id())
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getBoolean(2) ? unseal(space, rs.getString(1),
                        rs.getString(3)) : rs.getString(3)))
                .forEach(e -> env.put(e.getKey(), e.getValue())));
        return env;
    }

    private static void check(String name, String value, @Nullable String description) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Errors.BadRequest("A key is a letter or underscore, then letters, digits or underscores (at"
                    + " most 128): it becomes an environment variable of the app");
        }
        if (RESERVED.contains(name)) {
            throw new Errors.BadRequest(name + " is set by the hub for every app");
        }
        if (value == null || value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES
                || value.indexOf('\0') >= 0) {
            throw new Errors.BadRequest("A value is text of at most " + MAX_VALUE_BYTES + " bytes, without NUL");
        }
        if (description != null && description.length() > 1000) {
            throw new Errors.BadRequest("A description has at most 1000 characters");
        }
    }

    private String seal(Repo space, String name, String value) {
        return sealed.seal(boundTo(space, name), value);
    }

    private String unseal(Repo space, String name, String stored) {
        try {
            return sealed.unseal(boundTo(space, name), stored);
        } catch (IllegalStateException e) {
            // Another server secret sealed it, or the row was moved to another Space or name: not this app's.
            throw new IllegalStateException("secret " + name + " of Space " + space.repoId() + " cannot be unsealed"
                    + " with this server's secret", e);
        }
    }

    private static String boundTo(Repo space, String name) {
        return "space-secret\n" + space.id() + "\n" + name;
    }
}
