package dev.atrium.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.repo.RepoType;
import org.junit.jupiter.api.Test;

/** Command lines as git, git-lfs and OpenSSH send them (GIT_TRACE of git 2.39 and git-lfs 3.3). */
class SshRequestTest {
    private static final SshRequest.RepoPath MODEL = new SshRequest.RepoPath(RepoType.MODEL, "alice", "model");

    @Test
    void gitServices_withEveryPathShapeGitSends() {
        assertEquals(new SshRequest.Git(SmartHttp.Service.UPLOAD_PACK, MODEL),
                SshRequest.parse("git-upload-pack '/alice/model'"), "ssh://host/alice/model");
        assertEquals(new SshRequest.Git(SmartHttp.Service.UPLOAD_PACK, MODEL),
                SshRequest.parse("git-upload-pack 'alice/model.git'"), "git@host:alice/model.git");
        assertEquals(new SshRequest.Git(SmartHttp.Service.RECEIVE_PACK,
                        new SshRequest.RepoPath(RepoType.DATASET, "alice", "data")),
                SshRequest.parse("git-receive-pack '/datasets/alice/data.git/'"));
        assertEquals(new SshRequest.Git(SmartHttp.Service.UPLOAD_PACK,
                        new SshRequest.RepoPath(RepoType.SPACE, "alice", "demo")),
                SshRequest.parse("git upload-pack 'spaces/alice/demo'"), "the spaced form");
    }

    @Test
    void gitLfs_authenticateAndTransfer() {
        assertEquals(new SshRequest.LfsAuthenticate(MODEL, true),
                SshRequest.parse("git-lfs-authenticate /alice/model upload"));
        assertEquals(new SshRequest.LfsAuthenticate(MODEL, false),
                SshRequest.parse("git-lfs-authenticate alice/model.git download"));
        assertInstanceOf(SshRequest.LfsTransfer.class, SshRequest.parse("git-lfs-transfer /alice/model download"));
    }

    @Test
    void anythingElse_isUnknown_withWhatThisServerRuns() {
        assertTrue(((SshRequest.Unknown) SshRequest.parse("ls -la")).message()
                .startsWith("This hub runs git-upload-pack, git-receive-pack and git-lfs-authenticate"));
        assertTrue(((SshRequest.Unknown) SshRequest.parse("git-upload-pack 'alice'")).message()
                .contains("is not a repository path"));
        assertTrue(((SshRequest.Unknown) SshRequest.parse("git-upload-pack 'a/b/c'")).message()
                .contains("is not a repository path"));
        assertInstanceOf(SshRequest.Unknown.class, SshRequest.parse("git-lfs-authenticate alice/model delete"));
        assertInstanceOf(SshRequest.Unknown.class, SshRequest.parse("git-upload-pack"));
        assertInstanceOf(SshRequest.Unknown.class, SshRequest.parse(""));
    }
}
