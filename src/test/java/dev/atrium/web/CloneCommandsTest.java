package dev.atrium.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.atrium.http.BaseUrl;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With a configured base URL, the commands need nothing of the request (hence no Context here). */
class CloneCommandsTest {
    private static final BaseUrl BASE = new BaseUrl(URI.create("https://hub.example.org/"));
    private static final Repo DATASET = new Repo("r".repeat(24), RepoType.DATASET, new RepoId("alice", "data"), false,
            null, 0, 0);

    @Test
    void sshOff_onlyHttp() {
        assertEquals(List.of("git clone https://hub.example.org/datasets/alice/data"),
                new CloneCommands(BASE, () -> -1).of(null, DATASET));
        assertNull(new CloneCommands(BASE, () -> -1).sshUrl(null, "alice/model"));
    }

    @Test
    void sshOn_port22IsScpStyle_otherPortsAnSshUrl() {
        assertEquals(List.of("git clone https://hub.example.org/datasets/alice/data",
                        "git clone git@hub.example.org:datasets/alice/data"),
                new CloneCommands(BASE, () -> 22).of(null, DATASET));
        assertEquals("ssh://git@hub.example.org:2222/alice/model",
                new CloneCommands(BASE, () -> 2222).sshUrl(null, "alice/model"));
    }
}
