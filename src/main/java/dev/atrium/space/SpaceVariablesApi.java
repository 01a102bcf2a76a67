package dev.atrium.space;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/spaces/{id}/variables} and {@code /secrets}: what huggingface_hub's {@code add_space_variable},
 * {@code get_space_variables}, {@code add_space_secret}, {@code get_space_secrets} and their deletes call. A change
 * stops the running app, so that its next visit starts it with the new environment, as the Hub restarts a Space.
 */
public final class SpaceVariablesApi {
    private final RepoLookup lookup;
    private final SpaceVariables variables;
    private final SpaceProcesses processes;

    public SpaceVariablesApi(RepoLookup lookup, SpaceVariables variables, SpaceProcesses processes) {
        this.lookup = lookup;
        this.variables = variables;
        this.processes = processes;
    }

    public void register(RoutesConfig routes) {
        for (boolean secrets : new boolean[] {false, true}) {
            String path = "/api/spaces/{ns}/{name}/" + (secrets ? "secrets" : "variables");
            // Variables are public to the Space's readers, as on the Hub; secrets are listed for its writers only.
            routes.get(path, ctx -> Json.send(ctx, listing(space(ctx, secrets ? AccessPolicy.Action.WRITE
                    : AccessPolicy.Action.READ), secrets)));
            routes.post(path, ctx -> {
                Repo space = space(ctx, AccessPolicy.Action.WRITE);
                JsonNode body = Json.body(ctx);
                String value = Json.text(body, "value");
                if (value == null) {
                    throw new Errors.BadRequest("'value' is required");
                }
                variables.put(space, Json.text(body, "key"), value, Json.text(body, "description"), secrets);
                processes.stop(space, "its " + (secrets ? "secrets" : "variables") + " changed");
                Json.send(ctx, listing(space, secrets));
            });
            routes.delete(path, ctx -> {
                Repo space = space(ctx, AccessPolicy.Action.WRITE);
                String key = Json.text(Json.body(ctx), "key");
                if (key == null) {
                    throw new Errors.BadRequest("'key' is required");
                }
                if (!variables.delete(space, key, secrets)) {
                    throw new Errors.NotFound("This Space has no " + (secrets ? "secret " : "variable ") + key);
                }
                processes.stop(space, "its " + (secrets ? "secrets" : "variables") + " changed");
                Json.send(ctx, listing(space, secrets));
            });
        }
    }

    private Repo space(Context ctx, AccessPolicy.Action action) {
        return lookup.load(ctx, RepoType.SPACE, ctx.pathParam("ns"), ctx.pathParam("name"), action);
    }

    /** {@code {KEY: {value, description, updatedAt}}}; secrets have no value. */
    private Map<String, Object> listing(Repo space, boolean secrets) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SpaceVariables.Entry entry : variables.list(space, secrets)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            if (!secrets) {
                fields.put("value", entry.value());
            }
            if (entry.description() != null) {
                fields.put("description", entry.description());
            }
            fields.put("updatedAt", Dates.iso(entry.updatedAt()));
            out.put(entry.name(), fields);
        }
        return out;
    }
}
