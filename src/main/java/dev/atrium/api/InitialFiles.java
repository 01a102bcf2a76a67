package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.card.FrontMatter;
import dev.atrium.card.InvalidCardException;
import dev.atrium.commit.LfsRules;
import dev.atrium.http.Errors;
import dev.atrium.repo.RepoPath;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code files} of a repo creation ({@code createRepo({files})} in the JS client): a few small files, base64 in
 * the JSON body, that the repo's initial commit holds (a {@code .gitattributes} among them replaces the default one).
 * They go into git as they are, so a file the resulting {@code .gitattributes} sends to LFS is refused: it belongs
 * in a commit after the creation, which stores it in LFS.
 */
final class InitialFiles {
    static final int MAX_FILES = 100;
    static final int MAX_BYTES = 1 << 20;

    private InitialFiles() {}

    /** The files by path, in the order sent; empty when the body has none. */
    static Map<String, byte[]> of(JsonNode body, RepoType type) {
        JsonNode files = body == null ? null : body.get("files");
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (files == null || files.isNull()) {
            return out;
        }
        if (!files.isArray() || files.size() > MAX_FILES) {
            throw new Errors.BadRequest("'files' must be a list of at most " + MAX_FILES + " files");
        }
        long total = 0;
        for (JsonNode file : files) {
            String path = RepoPath.normalize(file.path("path").asText(null));
            String encoding = file.path("encoding").asText("utf-8");
            String content = file.path("content").asText(null);
            if (content == null || !(encoding.equals("base64") || encoding.equals("utf-8"))) {
                throw new Errors.BadRequest("File " + path + " needs a 'content', with 'encoding' base64 or utf-8");
            }
            byte[] bytes;
            try {
                bytes = encoding.equals("base64") ? Base64.getDecoder().decode(content)
                        : content.getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Errors.BadRequest("The content of " + path + " is not base64");
            }
            total += bytes.length;
            if (total > MAX_BYTES) {
                throw new Errors.BadRequest("The files of a new repo may hold " + MAX_BYTES / 1024 + " KiB in all;"
                        + " upload larger ones with a commit once the repo exists");
            }
            if (out.put(path, bytes) != null) {
                throw new Errors.BadRequest("File " + path + " is given twice");
            }
        }
        LfsRules rules = LfsRules.parse(new String(out.getOrDefault(".gitattributes",
                RepoService.defaultGitattributes(type)), StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> file : out.entrySet()) {
            if (file.getValue().length > 0 && rules.isLfs(file.getKey())) {
                throw new Errors.BadRequest("File " + file.getKey() + " belongs in LFS; upload it with a commit once"
                        + " the repo exists");
            }
        }
        if (out.containsKey("README.md")) {
            try {
                FrontMatter.validate(new String(out.get("README.md"), StandardCharsets.UTF_8));
            } catch (InvalidCardException e) {
                throw new Errors.BadRequest("Invalid metadata in README.md: " + e.getMessage());
            }
        }
        return out;
    }
}
