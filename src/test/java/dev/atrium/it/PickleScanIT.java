package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Pickle scanning seen through the real Python client ({@code src/it/python/pickle_scan.py}), LFS and Xet uploads. */
class PickleScanIT {

    @Test
    void uploadedPickles_areScanned_andTheirVerdictsServedAsTheHubDoes() {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            Clients.python().script("pickle_scan.py", server.baseUrl(), alice, ItPaths.newTempDir("pickle-lfs"))
                    .runChecked();
            Clients.python().script("pickle_scan.py", server.baseUrl(), alice, ItPaths.newTempDir("pickle-xet"))
                    .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default").runChecked();
            assertTrue(server.served("POST /cas/v1/xorbs/default/[0-9a-f]{64} 200 .*"), "the Xet run used Xet");
        }
    }

    /** Files pushed before the scanner existed (here: their results deleted while the server was down). */
    @Test
    void filesWithoutScans_areScannedAtStartup_withoutAnyoneLooking() throws Exception {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            Clients.python().script("pickle_scan.py", server.baseUrl(), alice, ItPaths.newTempDir("pickle-old"))
                    .runChecked();
            server.stop();
            String db = "jdbc:sqlite:" + server.dataDir().resolve("atrium.db");
            Map<String, String> before = scans(db);
            assertTrue(before.containsValue("dangerous") && before.size() >= 4, before.toString());
            try (Connection c = DriverManager.getConnection(db)) {
                c.createStatement().execute("DELETE FROM pickle_scans");
            }
            server.restart();
            long deadline = System.nanoTime() + 30_000_000_000L;
            Map<String, String> after;
            int walked;
            do {
                Thread.sleep(200);
                after = scans(db);
                walked = walkedRepos(db);
            } while ((!after.equals(before) || walked < 2) && System.nanoTime() < deadline);
            assertEquals(before, after, "every file scanned again, with the same verdicts");
            assertEquals(2, walked, "both repos walked and marked, so the next start does not walk them again");
        }
    }

    private static int walkedRepos(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM scan_walks WHERE kind = 'pickle'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<String, String> scans(String db) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT content_key, highest FROM pickle_scans")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
