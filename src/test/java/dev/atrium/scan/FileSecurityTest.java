package dev.atrium.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FileSecurityTest {
    private static final PickleScanner.Result INNOCUOUS = new PickleScanner.Result(ImportSafety.INNOCUOUS, List.of(),
            null);
    private static final PickleScanner.Result SUSPICIOUS = new PickleScanner.Result(ImportSafety.SUSPICIOUS,
            List.of(new PickleScanner.Found("mypkg", "Config", ImportSafety.SUSPICIOUS)), null);
    private static final VirusScans.Result CLEAN = new VirusScans.Result(VirusScans.Outcome.CLEAN, List.of());
    private static final VirusScans.Result INFECTED = new VirusScans.Result(VirusScans.Outcome.INFECTED,
            List.of("Win.Test.EICAR_HDB-1"));
    private static final VirusScans.Result TOO_LARGE = new VirusScans.Result(VirusScans.Outcome.TOO_LARGE, List.of());

    @Test
    void status_isUnsafeAsSoonAsOneScanSaysSo_elseQueuedUntilAllRan() {
        assertEquals("unsafe", new FileSecurity(true, null, true, INFECTED).status(), "pickles not scanned yet");
        assertEquals("queued", new FileSecurity(true, INNOCUOUS, true, null).status());
        assertEquals("queued", new FileSecurity(true, null, true, CLEAN).status());
        assertEquals("caution", new FileSecurity(true, SUSPICIOUS, true, CLEAN).status());
        assertEquals("unsafe", new FileSecurity(true, SUSPICIOUS, true, INFECTED).status());
        assertEquals("safe", new FileSecurity(true, INNOCUOUS, true, CLEAN).status());
        assertEquals("safe", new FileSecurity(false, null, true, CLEAN).status(), "no pickle scan wanted");
        assertEquals("safe", new FileSecurity(true, INNOCUOUS, false, null).status(), "a hub without clamd");
        assertEquals("safe", new FileSecurity(false, null, true, TOO_LARGE).status());
        assertTrue(new FileSecurity(false, null, true, INFECTED).worrying());
        assertTrue(new FileSecurity(true, SUSPICIOUS, false, null).worrying());
        assertFalse(new FileSecurity(true, null, true, null).worrying());
    }

    @Test
    void json_hasTheFieldsThePythonClientRequires_andClaimsNoScanThatDidNotRun() {
        assertEquals("{\"status\":\"unsafe\",\"avScan\":{\"virusFound\":true,\"virusNames\":[\"Win.Test.EICAR_HDB-1\"]},"
                        + "\"pickleImportScan\":null}",
                new FileSecurity(false, null, true, INFECTED).json().toString());
        assertEquals("{\"status\":\"safe\",\"avScan\":{\"virusFound\":false,\"virusNames\":null},"
                        + "\"pickleImportScan\":{\"highestSafetyLevel\":\"innocuous\",\"imports\":[]}}",
                new FileSecurity(true, INNOCUOUS, true, CLEAN).json().toString());
        assertEquals("{\"status\":\"safe\",\"avScan\":null,\"pickleImportScan\":null}",
                new FileSecurity(false, null, true, TOO_LARGE).json().toString(), "too large: not scanned");
        assertEquals("{\"status\":\"queued\",\"avScan\":null,\"pickleImportScan\":null}",
                new FileSecurity(true, null, false, null).json().toString());
    }
}
