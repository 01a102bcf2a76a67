package dev.atrium.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.repo.Repo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a fine-grained token may do, in the shape {@code whoami-v2} reports: permissions that hold everywhere
 * ({@code global}) and permissions on chosen entities ({@code scoped}): a user or organization (all its repos) or one
 * model, dataset or Space. A token never exceeds its user's own rights; the scopes only narrow them.
 */
public record TokenScopes(boolean canReadGatedRepos, Set<String> global, List<Scoped> scoped) {
    /** Reading a repo's files (private ones included, within the scope). */
    public static final String READ = "repo.content.read";
    /** Pushing and committing to a repo. */
    public static final String WRITE = "repo.write";
    /** The permissions Atrium knows; others are kept and reported but grant nothing here. */
    public static final Set<String> KNOWN = Set.of(READ, WRITE, "repo.access.read", "discussion.write",
            "inference.serverless.write", "user.webhooks.read", "user.webhooks.write");

    /** @param type {@code user}, {@code org}, {@code model}, {@code dataset} or {@code space} */
    public record Scoped(String type, String name, Set<String> permissions) {}

    public TokenScopes {
        global = Set.copyOf(global);
        scoped = List.copyOf(scoped);
    }

    /** Whether the token holds {@code permission} on {@code repo}: through its namespace, or the repo itself. */
    public boolean allows(String permission, Repo repo) {
        return (global.contains(permission) && permission.equals(READ) && !repo.isPrivate())
                || allowsByScope(permission, repo);
    }

    /**
     * Whether one of the token's scopes names the repo or its namespace with {@code permission}: the global read of
     * public repos left out, which does not reach gated content (that takes {@link #canReadGatedRepos}).
     */
    public boolean allowsByScope(String permission, Repo repo) {
        for (Scoped s : scoped) {
            boolean matches = ((s.type().equals("user") || s.type().equals("org"))
                    && s.name().equals(repo.repoId().namespace()))
                    || (s.type().equals(repo.type().singular()) && s.name().equals(repo.repoId().toString()));
            if (matches && (s.permissions().contains(permission)
                    || (permission.equals(READ) && s.permissions().contains(WRITE)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the token holds {@code permission} on a whole user's or organization's namespace. */
    public boolean allowsNamespace(String permission, String namespace) {
        return scoped.stream().anyMatch(s -> (s.type().equals("user") || s.type().equals("org"))
                && s.name().equals(namespace) && s.permissions().contains(permission));
    }

    /** The namespaces and repo ids whose private repos the token may read, for listings. */
    public List<String> readableNamespaces() {
        return scoped.stream().filter(s -> (s.type().equals("user") || s.type().equals("org"))
                && (s.permissions().contains(READ) || s.permissions().contains(WRITE))).map(Scoped::name).toList();
    }

    public List<String> readableRepoIds() {
        return scoped.stream().filter(s -> !(s.type().equals("user") || s.type().equals("org"))
                && (s.permissions().contains(READ) || s.permissions().contains(WRITE))).map(Scoped::name).toList();
    }

    /** Reads the JSON a client sends or the database keeps; throws IllegalArgumentException saying what is wrong. */
    public static TokenScopes parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("'fineGrained' must be an object with 'global' and 'scoped'");
        }
        Set<String> global = strings(node.path("global"), "global");
        List<Scoped> scoped = new ArrayList<>();
        for (JsonNode s : node.path("scoped")) {
            JsonNode entity = s.path("entity");
            String type = entity.path("type").asText("");
            String name = entity.path("name").asText("");
            if (!Set.of("user", "org", "model", "dataset", "space").contains(type) || name.isEmpty()) {
                throw new IllegalArgumentException("each scoped entry needs an entity with a type (user, org, model,"
                        + " dataset or space) and a name");
            }
            scoped.add(new Scoped(type, name, strings(s.path("permissions"), "permissions")));
        }
        return new TokenScopes(node.path("canReadGatedRepos").asBoolean(false), global, scoped);
    }

    private static Set<String> strings(JsonNode array, String what) {
        Set<String> out = new LinkedHashSet<>();
        if (array.isMissingNode() || array.isNull()) {
            return out;
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("'" + what + "' must be a list of permissions");
        }
        for (JsonNode p : array) {
            out.add(p.asText());
        }
        return out;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        out.put("canReadGatedRepos", canReadGatedRepos);
        ArrayNode g = out.putArray("global");
        global.forEach(g::add);
        ArrayNode list = out.putArray("scoped");
        for (Scoped s : scoped) {
            ObjectNode item = list.addObject();
            item.putObject("entity").put("type", s.type()).put("name", s.name());
            ArrayNode perms = item.putArray("permissions");
            s.permissions().forEach(perms::add);
        }
        return out;
    }
}
