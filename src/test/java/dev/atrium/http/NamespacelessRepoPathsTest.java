package dev.atrium.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamespacelessRepoPathsTest {

    @Test
    void repoId_apiPathsOfALegacyId_nameTheRepo() {
        assertEquals(Optional.of("gpt2"), NamespacelessRepoPaths.repoId("/api/models/gpt2"));
        assertEquals(Optional.of("gpt2"), NamespacelessRepoPaths.repoId("/api/models/gpt2/revision/main"));
        assertEquals(Optional.of("squad"), NamespacelessRepoPaths.repoId("/api/datasets/squad/tree/main/data"));
        assertEquals(Optional.of("gpt2"), NamespacelessRepoPaths.repoId("/api/models/gpt2/commits/main"));
        assertEquals(Optional.of("gpt2"), NamespacelessRepoPaths.repoId("/api/models/gpt2/like"));
    }

    @Test
    void repoId_filesAndGitOfALegacyModel_nameTheRepo() {
        assertEquals(Optional.of("gpt2"), NamespacelessRepoPaths.repoId("/gpt2/resolve/main/config.json"));
        assertEquals(Optional.of("gpt2"), NamespacelessRepoPaths.repoId("/gpt2.git/info/refs"));
        assertEquals(Optional.of("gpt2"), NamespacelessRepoPaths.repoId("/gpt2.git/info/lfs/objects/batch"));
    }

    @Test
    void repoId_otherUnknownPaths_areNotRepos() {
        assertEquals(Optional.empty(), NamespacelessRepoPaths.repoId("/api/models/gpt2/no-such-endpoint"));
        assertEquals(Optional.empty(), NamespacelessRepoPaths.repoId("/api/nothing/gpt2"));
        assertEquals(Optional.empty(), NamespacelessRepoPaths.repoId("/gpt2/settings"));
        assertEquals(Optional.empty(), NamespacelessRepoPaths.repoId("/api/models/-bad/revision/main"));
        assertEquals(Optional.empty(), NamespacelessRepoPaths.repoId("/static/app.css"));
    }
}
