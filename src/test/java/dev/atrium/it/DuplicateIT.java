package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * {@code duplicate_repo} with the real huggingface_hub client ({@code src/it/python/duplicate.py}): history, branches
 * and tags copied, pull requests and discussions not, large files readable through the copy (uploaded through LFS,
 * then through Xet), visibility, permissions, gates and quotas.
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
