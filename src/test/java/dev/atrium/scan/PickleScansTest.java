package dev.atrium.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.db.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PickleScansTest {
    private static final String DANGEROUS_IMPORTS =
            "[{\"module\": \"posix\", \"name\": \"system\", \"safety\": \"dangerous\"}]";

    @TempDir
    Path dir;

    @Test
    void results_spanSeveralLookups_noneLostAtTheirEdges() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        int files = 1_234; // three lookups of 500
        List<ScanKey> oids = new ArrayList<>();
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO pickle_scans (content_key, highest, imports_json, problem, scanned_at) "
                    + "VALUES (:oid, :highest, :imports, NULL, 0)");
            for (int i = 0; i < files; i++) {
                ScanKey oid = new ScanKey(i % 3 == 0 ? String.format("%064x", i)
                        : String.format("git:%040x", i));
                oids.add(oid);
                batch.bind("oid", oid.id()).bind("highest", i % 2 == 0 ? "innocuous" : "dangerous")
                        .bind("imports", i % 2 == 0 ? "[]" : DANGEROUS_IMPORTS).add();
            }
            batch.execute();
        });
        // Only the lookups are used here: nothing is scanned.
        PickleScans scans = new PickleScans(jdbi, Clock.systemUTC());
        List<ScanKey> asked = new ArrayList<>(oids);
        asked.add(new ScanKey("f".repeat(64)));
        Map<ScanKey, PickleScanner.Result> results = scans.results(asked).byKey();
        assertEquals(files, results.size());
        PickleScanner.Result odd = results.get(oids.get(1));
        assertEquals(ImportSafety.DANGEROUS, odd.highest());
        assertEquals(List.of(new PickleScanner.Found("posix", "system", ImportSafety.DANGEROUS)), odd.imports());
        assertEquals(ImportSafety.INNOCUOUS, results.get(oids.get(0)).highest());
    }
}
