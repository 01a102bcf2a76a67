package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.ClamdServer;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Antivirus scanning with a real clamd ({@link ClamdServer}: ClamAV's engine, a test signature database), seen
 * through the Python client ({@code src/it/python/antivirus_scan.py}), the JS client and Chromium
 * ({@code src/it/js/antivirus-pages.mjs}).
 */
class AntivirusIT {
    /** {@code pickle.dumps({"step": 1}, protocol=2)}. */
    private static final String PICKLE = "gAJ9cQBYBAAAAHN0ZXBxAUsBcy4=";

    @Test
    void pushedFiles_areScannedByClamAv_andTheVerdictsServedAsTheHubDoes() {
        try (ClamdServer clamd = ClamdServer.start(64L << 20, 25L << 20);
             AtriumProcess server = AtriumProcess.start("--clamd", clamd.unixAddress(),
                     "--clamd-max-size", "20000000")) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            Clients.python().script("antivirus_scan.py", server.baseUrl(), alice,
                            ItPaths.newTempDir("antivirus"))
                    .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default")
                    .env("EICAR_HEX", HexFormat.of().formatHex(ClamdServer.EICAR))
                    .env("MARKER_HEX", HexFormat.of().formatHex(ClamdServer.MARKER))
                    .env("EICAR_NAME", ClamdServer.EICAR_NAME)
                    .env("MARKER_NAME", ClamdServer.MARKER_NAME)
                    .runChecked();
            assertTrue(server.served("POST /cas/v1/xorbs/default/[0-9a-f]{64} 200 .*"), "large files went through Xet");
            Clients.node().script("antivirus-pages.mjs")
                    .env("HUB_URL", server.baseUrl())
                    .env("HF_TOKEN", alice)
                    .env("REPO", "alice/scanned-xet") // made by antivirus_scan.py
                    .env("CHROMIUM", Clients.chromium().toString())
                    .env("ARTIFACTS", ItPaths.repoRoot().resolve("target/it-artifacts/antivirus").toString())
                    .runChecked();
        }
    }

    /** A hub that starts scanning for viruses scans what was pushed before, without anyone looking. */
    @Test
    void filesPushedBeforeClamdWasConfigured_areScannedAtTheNextStart() throws Exception {
        try (ClamdServer clamd = ClamdServer.start(64L << 20, 25L << 20); AtriumProcess before = AtriumProcess.start()) {
            String alice = before.admin().createUserWithToken("alice", "write").token();
            HubHttp http = HubHttp.of(before);
            for (String name : new String[] {"one", "two"}) {
                assertEquals(200, http.send(http.request("/api/repos/create", alice)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))).statusCode());
                String commit = "{\"key\":\"header\",\"value\":{\"summary\":\"add\"}}\n"
                        + file("tools/eicar.com", Base64.getEncoder().encodeToString(ClamdServer.EICAR))
                        // The same bytes under two names, both in git (no LFS rule for .dat): one wants the virus scan only, the
                        // other both scans.
                        + file("tools/notes.txt", PICKLE) + file("tools/state.dat", PICKLE);
                assertEquals(200, http.send(http.request("/api/models/alice/" + name + "/commit/main", alice)
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(commit))).statusCode());
            }
            long scanned = System.nanoTime() + 30_000_000_000L;
            JsonNode tree;
            do {
                Thread.sleep(100);
                tree = HubHttp.json(http.get("/api/models/alice/one/tree/main/tools?expand=true", alice));
            } while (entry(tree, "tools/state.dat").path("securityFileStatus").path("status").asText().equals("queued")
                    && System.nanoTime() < scanned);
            assertEquals("safe", entry(tree, "tools/state.dat").path("securityFileStatus").path("status").asText(),
                    tree.toString());
            assertTrue(entry(tree, "tools/eicar.com").path("securityFileStatus").isMissingNode(),
                    "without clamd, a file that cannot hold pickles has no status: " + tree);
            before.stop();
            String db = "jdbc:sqlite:" + before.dataDir().resolve("atrium.db");
            assertEquals(1, count(db, "SELECT COUNT(*) FROM pickle_scans"), "the pickle was scanned at its commit");
            try (Connection c = DriverManager.getConnection(db)) {
                // As if pushed before pickle scanning too: both kinds of scan are due for that content at the start.
                c.createStatement().execute("DELETE FROM pickle_scans");
                c.createStatement().execute("DELETE FROM scan_walks");
            }

            // clamd configured but not answering: the pickle scans go on, the virus scans wait for a later pass, and
            // the pass leaves them out at once instead of failing once per repo (or per file).
            try (AtriumProcess down = AtriumProcess.startOn(before.dataDir(), "--clamd", "unix:/tmp/no-clamd-here.sock")) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (count(db, "SELECT COUNT(*) FROM scan_walks WHERE kind = 'pickle'") < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(2, count(db, "SELECT COUNT(*) FROM scan_walks WHERE kind = 'pickle'"));
                assertEquals(0, count(db, "SELECT COUNT(*) FROM scan_walks WHERE kind = 'antivirus'"));
                assertEquals(0, count(db, "SELECT COUNT(*) FROM av_scans"));
                String log = Files.readString(down.logFile());
                assertEquals(0, log.lines().filter(line -> line.contains("Scanning")).count(), log);
                assertTrue(log.contains("The antivirus scanner does not answer"), log);
                assertTrue(Files.readString(down.logFile()).contains("files are scanned once it answers"),
                        "the start says clamd does not answer, and goes on");
            }
            assertEquals(1, count(db, "SELECT COUNT(*) FROM pickle_scans"));

            // A clamd that comes up after the hub started is caught up with by the next watch, without a restart:
            // the hub is given a path that leads nowhere, then to clamd's socket.
            Path link = ItPaths.newTempDir("clamd-link").resolve("clamd.sock");
            Files.createSymbolicLink(link, link.resolveSibling("nothing-yet"));
            try (AtriumProcess late = AtriumProcess.startOn(before.dataDir(), "--clamd", "unix:" + link,
                    "--clamd-watch-seconds", "1")) {
                Thread.sleep(3_000);
                assertEquals(0, count(db, "SELECT COUNT(*) FROM av_scans"), "clamd is not there yet");
                Files.delete(link);
                Files.createSymbolicLink(link,
                        Path.of(clamd.unixAddress().substring("unix:".length())));
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (count(db, "SELECT COUNT(*) FROM scan_walks WHERE kind = 'antivirus'") < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(2, count(db, "SELECT COUNT(*) FROM scan_walks WHERE kind = 'antivirus'"),
                        "both repos walked once clamd answered: " + Files.readString(late.logFile()));
                assertEquals(1, count(db, "SELECT COUNT(*) FROM av_scans WHERE outcome = 'infected'"));
            }

            try (Connection c = DriverManager.getConnection(db)) {
                c.createStatement().execute("DELETE FROM pickle_scans");
                c.createStatement().execute("DELETE FROM scan_walks");
                c.createStatement().execute("DELETE FROM av_scans");
            }

            try (AtriumProcess after = AtriumProcess.startOn(before.dataDir(), "--clamd", clamd.tcpAddress())) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while ((count(db, "SELECT COUNT(*) FROM scan_walks") < 4
                        || count(db, "SELECT COUNT(*) FROM av_scans WHERE outcome = 'infected'") < 1)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(2, count(db, "SELECT COUNT(*) FROM scan_walks WHERE kind = 'antivirus'"),
                        "both repos walked for the new scan");
                assertEquals(1, count(db, "SELECT COUNT(*) FROM av_scans WHERE outcome = 'infected'"),
                        "one scan for the same bytes in both repos");
                assertEquals(4, count(db, "SELECT COUNT(*) FROM scan_walks"), "both repos walked for both scans");
                assertEquals(1, count(db, "SELECT COUNT(*) FROM pickle_scans"),
                        "the pickle scanned though a name that wants no pickle scan came first, before anyone looked");
                for (String name : new String[] {"one", "two"}) {
                    JsonNode file = entry(HubHttp.json(HubHttp.of(after).get(
                            "/api/models/alice/" + name + "/tree/main/tools?expand=true", alice)), "tools/eicar.com");
                    JsonNode status = file.get("securityFileStatus");
                    assertEquals("unsafe", status.get("status").asText(), file.toString());
                    assertTrue(status.get("avScan").get("virusFound").asBoolean(), file.toString());
                    assertTrue(status.get("avScan").get("virusNames").get(0).asText()
                            .startsWith(ClamdServer.EICAR_NAME), file.toString());
                }

                // After clamd's signatures change: every verdict renewed, each kept and shown until then.
                long scannedBefore = count(db, "SELECT MAX(scanned_at) FROM av_scans");
                String said = after.admin().run(java.util.List.of("rescan", "--antivirus")).stdout();
                assertTrue(said.contains(count(db, "SELECT COUNT(*) FROM av_scans") + " antivirus verdicts marked"),
                        said);
                assertEquals(0, count(db, "SELECT COUNT(*) FROM scan_walks WHERE kind = 'antivirus'"));
                JsonNode kept = entry(HubHttp.json(HubHttp.of(after).get(
                        "/api/models/alice/one/tree/main/tools?expand=true", alice)), "tools/eicar.com");
                assertEquals("unsafe", kept.get("securityFileStatus").get("status").asText(), "shown until rescanned");
                after.restart();
                deadline = System.nanoTime() + 30_000_000_000L;
                while ((count(db, "SELECT COUNT(*) FROM av_scans WHERE stale") > 0
                        || count(db, "SELECT COUNT(*) FROM scan_walks WHERE kind = 'antivirus'") < 2)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(0, count(db, "SELECT COUNT(*) FROM av_scans WHERE stale"), "every verdict renewed");
                assertTrue(count(db, "SELECT MIN(scanned_at) FROM av_scans") > scannedBefore, "by a new scan");
                assertEquals(1, count(db, "SELECT COUNT(*) FROM av_scans WHERE outcome = 'infected'"));
            }
        }
    }

    private static JsonNode entry(JsonNode tree, String path) {
        for (JsonNode e : tree) {
            if (e.path("path").asText().equals(path)) {
                return e;
            }
        }
        throw new AssertionError(path + " not in " + tree);
    }

    private static String file(String path, String base64) {
        return "{\"key\":\"file\",\"value\":{\"path\":\"" + path + "\",\"encoding\":\"base64\",\"content\":\""
                + base64 + "\"}}\n";
    }

    private static long count(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
