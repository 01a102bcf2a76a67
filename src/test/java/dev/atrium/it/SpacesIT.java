package dev.atrium.it;

import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.NodeClient;
import dev.atrium.it.support.PythonClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Static Spaces through the Python client and plain HTTP: runtime, sdk and tags, the app's files and headers, grants,
 * private Spaces, and Spaces of SDKs Atrium does not run ({@code src/it/python/spaces.py}). Streamlit Spaces run by
 * the hub with the IT venv's streamlit, in bubblewrap: the client's view ({@code streamlit_spaces.py}), the app in
 * Chromium ({@code src/it/js/streamlit-space.mjs}) and its settings page ({@code space-settings.mjs}).
 */
class SpacesIT {

    @Test
    void staticSpaces_servedSandboxed_asUploaded() {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Clients.python().script("spaces.py", server.baseUrl(), alice, ItPaths.newTempDir("spaces"))
                    .env("TOKEN_BOB", bob).runChecked();
        }
    }

    @Test
    void streamlitSpaces_runSandboxed_throughTheHub() throws IOException, NoSuchAlgorithmException {
        PythonClient python = Clients.python("streamlit");
        NodeClient node = Clients.node();
        Path chromium = Clients.chromium();
        try (AtriumProcess server = AtriumProcess.start("--spaces-python", python.python().toString())) {
            AdminCli.Account owner = server.admin().createUserWithToken("alice", "write");
            String alice = owner.token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Path work = ItPaths.newTempDir("streamlit-spaces");
            byte[] upload = new byte[300_000];
            new Random(7).nextBytes(upload);
            Path file = Files.write(work.resolve("upload.bin"), upload);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload));
            python.script("streamlit_spaces.py", server.baseUrl(), alice, work).env("TOKEN_BOB", bob)
                    .env("HUB_DATA", server.dataDir().toString()).env("PHASE", "setup").runChecked();
            for (int version = 1; version <= 2; version++) {
                // The second version runs after the variable changed and the secret was deleted.
                String lines = String.join("|", "answer: 42", "helper says hi", "hub data visible: False",
                        "space id: alice/counter", "from the hub: notes from the hub", version == 1 ? "greeting: hello from a variable"
                                : "greeting: hello again", version == 1 ? "token length: 14" : "token length: 0");
                node.script("streamlit-space.mjs").env("HUB_URL", server.baseUrl()).env("SPACE", "alice/counter")
                        .env("EXPECT_TITLE", "Counter, version " + version).env("EXPECT_LINES", lines)
                        .env("CHROMIUM", chromium.toString())
                        .env("UPLOAD", file.toString()).env("UPLOAD_SHA256", sha).runChecked();
                if (version == 2) {
                    node.script("space-settings.mjs").env("HUB_URL", server.baseUrl()).env("SPACE", "alice/counter")
                            .env("USER_NAME", owner.name()).env("USER_PASSWORD", owner.password())
                            .env("CHROMIUM", chromium.toString()).runChecked();
                }
                if (version == 1) {
                    python.script("streamlit_spaces.py", server.baseUrl(), alice, work).env("TOKEN_BOB", bob)
                            .env("HUB_DATA", server.dataDir().toString()).env("PHASE", "new-version").runChecked();
                }
            }
        }
    }

    @Test
    void streamlitSpaces_installTheirRequirements_withTheHubsPipConfiguration() throws IOException {
        PythonClient python = Clients.python("streamlit");
        Path work = ItPaths.newTempDir("streamlit-requirements");
        Path wheels = Files.createDirectories(work.resolve("wheels"));
        // No index: pip finds the test's own wheel in a folder, which the build's sandbox must be given to see.
        Path pipConfig = Files.writeString(work.resolve("pip.conf"),
                "[global]\nno-index = true\nfind-links = " + wheels + "\n");
        try (AtriumProcess server = AtriumProcess.start("--spaces-python", python.python().toString(),
                "--spaces-pip-config", pipConfig.toString())) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            python.script("streamlit_spaces.py", server.baseUrl(), alice, work).env("TOKEN_BOB", bob)
                    .env("HUB_DATA", server.dataDir().toString()).env("WHEELS", wheels.toString())
                    .env("PHASE", "requirements").runChecked();
            // The app imports the package its requirements installed: Streamlit runs it when a browser connects.
            Clients.node().script("streamlit-space.mjs").env("HUB_URL", server.baseUrl()).env("SPACE", "alice/needs")
                    .env("EXPECT_TITLE", "hello from a requirement").env("ONLY_SHOWS", "1")
                    .env("CHROMIUM", Clients.chromium().toString()).runChecked();
        }
    }

    @Test
    void streamlitSpaces_beyondTheLimit_theLeastRecentlyUsedStops() {
        PythonClient python = Clients.python("streamlit");
        try (AtriumProcess server = AtriumProcess.start("--spaces-python", python.python().toString(),
                "--spaces-limit", "1", "--spaces-hardware", "cpu-basic:2:16,tiny:1:1:2")) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            python.script("streamlit_spaces.py", server.baseUrl(), alice, ItPaths.newTempDir("streamlit-limit"))
                    .env("TOKEN_BOB", bob).env("HUB_DATA", server.dataDir().toString()).env("PHASE", "limit")
                    .runChecked();
        }
    }
}
