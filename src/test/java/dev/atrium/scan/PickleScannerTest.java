package dev.atrium.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Against pickles, ZIPs and NumPy files written by CPython (src/test/resources/scan/make_fixtures.py). */
class PickleScannerTest {

    static ByteSource bytes(byte[] data) {
        return new ByteSource() {
            @Override
            public long size() {
                return data.length;
            }

            @Override
            public InputStream open(long offset, long length) {
                return new ByteArrayInputStream(data, (int) offset, (int) length);
            }
        };
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = PickleScannerTest.class.getResourceAsStream("/scan/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    static PickleScanner.Result scan(String name) throws IOException {
        return PickleScanner.scan(name, bytes(fixture(name)));
    }

    static List<String> names(PickleScanner.Result result) {
        return result.imports().stream().map(f -> f.module() + "." + f.name() + ":" + f.safety().wireName()).toList();
    }

    @Test
    void protocol0Global_osSystem_isDangerous() throws IOException {
        PickleScanner.Result result = scan("evil-proto0.pkl");
        assertEquals(List.of("posix.system:dangerous"), names(result));
        assertEquals(ImportSafety.DANGEROUS, result.highest());
        assertNull(result.problem());
    }

    @Test
    void protocol4StackGlobal_isReadFromThePushedStrings() throws IOException {
        assertEquals(List.of("posix.system:dangerous"), names(scan("evil-proto4.pkl")));
    }

    @Test
    void stackGlobal_whoseModuleComesFromTheMemo_isResolved() throws IOException {
        assertEquals(List.of("posix.system:dangerous", "posix.getcwd:dangerous"), names(scan("evil-memo.pkl")));
    }

    @Test
    void plainData_importsNothing_andIsInnocuous() throws IOException {
        PickleScanner.Result result = scan("plain-data.pkl");
        assertTrue(result.imports().isEmpty());
        assertEquals(ImportSafety.INNOCUOUS, result.highest());
    }

    @Test
    void orderedDict_isInnocuous_aProjectsOwnClass_isSuspicious() throws IOException {
        assertEquals(List.of("collections.OrderedDict:innocuous"), names(scan("ordered.pkl")));
        PickleScanner.Result custom = scan("custom-class.pkl");
        assertEquals(List.of("__main__.Thing:suspicious"), names(custom));
        assertEquals(ImportSafety.SUSPICIOUS, custom.highest());
    }

    @Test
    void pytorchStyleZip_scansItsDataPkl_only() throws IOException {
        PickleScanner.Result safe = scan("torch-like.bin");
        assertEquals(List.of("collections.OrderedDict:innocuous", "torch._utils._rebuild_tensor_v2:innocuous"),
                names(safe));
        assertEquals(ImportSafety.INNOCUOUS, safe.highest());
        PickleScanner.Result evil = scan("torch-like-evil.bin");
        assertTrue(names(evil).contains("posix.system:dangerous"), names(evil).toString());
        assertEquals(ImportSafety.DANGEROUS, evil.highest());
    }

    @Test
    void numpyObjectArray_isAPickle_butAFloatArrayIsNot() throws IOException {
        assertTrue(names(scan("objects.npy")).contains("posix.system:dangerous"));
        PickleScanner.Result floats = scan("floats.npy");
        assertTrue(floats.imports().isEmpty());
        assertNull(floats.problem());
    }

    @Test
    void npz_deflatedEntries_areScanned() throws IOException {
        PickleScanner.Result result = scan("mixed.npz");
        assertTrue(names(result).contains("posix.system:dangerous"), names(result).toString());
    }

    @Test
    void truncatedPickle_keepsWhatItRead_andSaysWhy() throws IOException {
        byte[] evil = fixture("evil-proto4.pkl");
        PickleScanner.Result cut = PickleScanner.scan("x.pkl", bytes(Arrays.copyOf(evil, evil.length - 3)));
        assertEquals(List.of("posix.system:dangerous"), names(cut));
        assertEquals("ends without STOP", cut.problem());
        PickleScanner.Result garbage = PickleScanner.scan("y.pkl", bytes("not a pickle at all".getBytes()));
        assertNotNull(garbage.problem());
        assertEquals(ImportSafety.SUSPICIOUS, garbage.highest(), "what cannot be read cannot be called safe");
    }

    @Test
    void binFileThatIsNoPickle_hasNothingToReport() throws IOException {
        PickleScanner.Result result = PickleScanner.scan("weights.bin", bytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertTrue(result.imports().isEmpty());
        assertNull(result.problem());
        assertEquals(ImportSafety.INNOCUOUS, result.highest());
    }

    @Test
    void zipWithMoreThan65535Entries_isReadThroughItsZip64Directory() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
            zip.setMethod(ZipOutputStream.DEFLATED);
            for (int i = 0; i < 70_000; i++) {
                zip.putNextEntry(new ZipEntry("archive/data/" + i));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(fixture("evil-proto0.pkl"));
            zip.closeEntry();
        }
        PickleScanner.Result result = PickleScanner.scan("model.pt", bytes(buffer.toByteArray()));
        assertEquals(List.of("posix.system:dangerous"), names(result));
    }

    @Test
    void wanted_byExtension() {
        assertTrue(PickleScanner.wanted("pytorch_model.bin"));
        assertTrue(PickleScanner.wanted("sub/model.PT"));
        assertTrue(PickleScanner.wanted("data.pkl"));
        assertFalse(PickleScanner.wanted("model.safetensors"));
        assertFalse(PickleScanner.wanted("README.md"));
        assertFalse(PickleScanner.wanted("Makefile"));
    }

    @Test
    void importSafety_levels() {
        assertEquals(ImportSafety.DANGEROUS, ImportSafety.of(new PickleImports.Import("builtins", "eval")));
        assertEquals(ImportSafety.DANGEROUS, ImportSafety.of(new PickleImports.Import("subprocess", "Popen")));
        assertEquals(ImportSafety.DANGEROUS, ImportSafety.of(new PickleImports.Import("os.path", "join")));
        assertEquals(ImportSafety.DANGEROUS, ImportSafety.of(PickleImports.Import.UNREADABLE));
        assertEquals(ImportSafety.INNOCUOUS, ImportSafety.of(new PickleImports.Import("builtins", "set")));
        assertEquals(ImportSafety.INNOCUOUS, ImportSafety.of(new PickleImports.Import("torch", "FloatStorage")));
        assertEquals(ImportSafety.INNOCUOUS, ImportSafety.of(new PickleImports.Import("torch", "bfloat16")));
        assertEquals(ImportSafety.SUSPICIOUS, ImportSafety.of(new PickleImports.Import("torch.nn", "Linear")));
        assertEquals(ImportSafety.SUSPICIOUS, ImportSafety.of(new PickleImports.Import("builtins", "print")));
    }

    @Test
    void unknownOpcode_isAFormatError() {
        assertThrows(PickleFormatException.class,
                () -> PickleImports.read(new ByteArrayInputStream(new byte[] {(byte) 0x80, 4, (byte) 0xff})));
    }

    private static byte[] pickle(String... parts) {
        StringBuilder s = new StringBuilder();
        for (String p : parts) {
            s.append(p);
        }
        return s.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void memo_keepsOnlySoManyNames_andAGlobalItCannotResolveIsDangerous() throws Exception {
        // PROTO 4, 'posix' MEMOIZE (0), 'system' MEMOIZE (1), BINGET 0, BINGET 1, STACK_GLOBAL, STOP
        byte[] bytes = pickle("\u0080\u0004", "\u008c\u0005posix\u0094", "\u008c\u0006system\u0094",
                "h\u0000h\u0001\u0093.");
        java.util.Set<PickleImports.Import> all = new java.util.LinkedHashSet<>();
        PickleImports.read(new ByteArrayInputStream(bytes), all, new PickleImports.Limits(10, 10, 100));
        assertEquals(List.of(new PickleImports.Import("posix", "system")), List.copyOf(all));
        java.util.Set<PickleImports.Import> capped = new java.util.LinkedHashSet<>();
        PickleImports.read(new ByteArrayInputStream(bytes), capped, new PickleImports.Limits(1, 10, 100));
        assertEquals(List.of(PickleImports.Import.UNREADABLE), List.copyOf(capped));
        assertEquals(ImportSafety.DANGEROUS, ImportSafety.of(PickleImports.Import.UNREADABLE));
    }

    @Test
    void tooManyImports_orOpcodes_stopTheRead_keepingWhatWasFound() {
        byte[] imports = pickle("ca\nx\n", "cb\ny\n", "cc\nz\n", ".");
        java.util.Set<PickleImports.Import> found = new java.util.LinkedHashSet<>();
        PickleFormatException many = assertThrows(PickleFormatException.class, () -> PickleImports.read(
                new ByteArrayInputStream(imports), found, new PickleImports.Limits(10, 2, 100)));
        assertTrue(many.getMessage().startsWith("more than 2 imports"), many.getMessage());
        assertEquals(3, found.size());
        byte[] nones = pickle("NNNNNNNNNN.");
        PickleFormatException long_ = assertThrows(PickleFormatException.class, () -> PickleImports.read(
                new ByteArrayInputStream(nones), new java.util.HashSet<>(), new PickleImports.Limits(10, 10, 5)));
        assertTrue(long_.getMessage().startsWith("more than 5 opcodes"), long_.getMessage());
    }

    @Test
    void memoizeFlood_isReadInBoundedMemory() throws Exception {
        byte[] flood = new byte[20_000_000];
        java.util.Arrays.fill(flood, (byte) 0x94);
        byte[] head = pickle("\u0080\u0004\u008c\u0001x");
        System.arraycopy(head, 0, flood, 0, head.length);
        flood[flood.length - 1] = '.';
        assertTrue(PickleImports.read(new ByteArrayInputStream(flood)).isEmpty());
    }
}
