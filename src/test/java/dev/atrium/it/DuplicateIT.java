package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * Copies with the real huggingface_hub client ({@code src/it/python/duplicate.py}): {@code duplicate_repo} (history,
 * branches and tags copied, pull requests and discussions not, large files readable through the copy; visibility,
 * permissions, gates and quotas) and single large files copied across repos by reference; all of it for files
 * uploaded through LFS, then for files uploaded through Xet.
 */
class DuplicateIT {

    @Test
    void duplicateRepo_copiesHistoryAndLargeFiles_withinPermissionsAndLimits() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            String carol = server.admin().createUserWithToken("carol", "write").token();
            server.admin().setLimits("carol", "--private-repos", "0");
            for (String path : new String[] {"lfs", "xet"}) {
                var run = python.script("duplicate.py", server.baseUrl(), alice, ItPaths.newTempDir("dup-" + path))
                        .env("TOKEN_ALICE", alice).env("TOKEN_BOB", bob).env("TOKEN_CAROL", carol)
                        .env("PREFIX", path + "-");
                if (path.equals("xet")) {
                    run.env("ATRIUM_IT_XET", "default");
                }
                run.runChecked();
            }
        }
    }
}
