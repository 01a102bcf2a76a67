package dev.atrium.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scans one stored file for the imports its pickles would run: a plain pickle ({@code .pkl}, {@code .pickle},
 * {@code .joblib}, or any file starting with a protocol-2+ header, such as a legacy PyTorch {@code .bin}); the
 * {@code .pkl} entries of a ZIP (PyTorch's checkpoints) and its {@code .npy} entries (NumPy's {@code .npz}); a NumPy
 * {@code .npy} holding Python objects, whose data is a pickle. Anything else holds no pickle.
 */
public final class PickleScanner {
    /** The file names whose content is worth a look: where PyTorch, NumPy, joblib and pickle itself write pickles. */
    private static final Set<String> EXTENSIONS = Set.of("pkl", "pickle", "joblib", "bin", "pt", "pth", "ckpt",
            "npy", "npz", "dat", "data");
    private static final int MAX_PICKLES = 64;
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] NPY = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** One import and its level. */
    public record Found(String module, String name, ImportSafety safety) {}

    /**
     * What a scan found: the most worrying level (innocuous when nothing was imported), the imports, and
     * {@code problem} when part of the file could not be read as what it claims to be.
     */
    public record Result(ImportSafety highest, List<Found> imports, String problem) {}

    private PickleScanner() {}

    /** Whether a file of this name is scanned at all. */
    public static boolean wanted(String path) {
        int dot = path.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public static Result scan(String path, ByteSource file) throws IOException {
        Set<PickleImports.Import> imports = new LinkedHashSet<>();
        String problem = null;
        try {
            byte[] head = readHead(file, 8);
            if (startsWith(head, ZIP)) {
                int pickles = 0;
                for (ZipEntries.Entry entry : ZipEntries.list(file)) {
                    String name = entry.name().toLowerCase(Locale.ROOT);
                    if ((name.endsWith(".pkl") || name.endsWith(".npy")) && ++pickles <= MAX_PICKLES) {
                        try (InputStream in = ZipEntries.open(file, entry)) {
                            if (name.endsWith(".pkl")) {
                                PickleImports.read(in, imports);
                            } else {
                                npy(in, imports);
                            }
                        }
                    }
                }
            } else if (startsWith(head, NPY)) {
                try (InputStream in = file.open(0, file.size())) {
                    npy(in, imports);
                }
            } else if (head.length > 0 && (head[0] == (byte) 0x80 || plainPickleName(path))) {
                try (InputStream in = file.open(0, file.size())) {
                    PickleImports.read(in, imports);
                }
            }
        } catch (PickleFormatException e) {
            problem = e.getMessage();
        }
        List<Found> found = new ArrayList<>();
        ImportSafety highest = problem == null ? ImportSafety.INNOCUOUS : ImportSafety.SUSPICIOUS;
        for (PickleImports.Import i : imports) {
            ImportSafety safety = ImportSafety.of(i);
            found.add(new Found(i.module(), i.name(), safety));
            highest = safety.compareTo(highest) > 0 ? safety : highest;
        }
        return new Result(highest, found, problem);
    }

    /** A NumPy array file: its data is a pickle only when its dtype is Python objects ({@code 'descr': '|O'}). */
    private static void npy(InputStream in, Set<PickleImports.Import> into) throws IOException, PickleFormatException {
        byte[] prefix = in.readNBytes(10);
        if (prefix.length < 10 || !startsWith(prefix, NPY)) {
            throw new PickleFormatException("not a NumPy array file");
        }
        long headerLength = (prefix[8] & 0xFFL) | (prefix[9] & 0xFFL) << 8;
        if (prefix[6] >= 2) { // versions 2 and 3: a 4-byte length
            byte[] high = in.readNBytes(2);
            if (high.length < 2) {
                throw new PickleFormatException("a NumPy header cut short");
            }
            headerLength |= (high[0] & 0xFFL) << 16 | (high[1] & 0xFFL) << 24;
        }
        if (headerLength > 1 << 20) {
            throw new PickleFormatException("a NumPy header larger than 1 MiB");
        }
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw new PickleFormatException("a NumPy header cut short");
        }
        String text = new String(header, StandardCharsets.ISO_8859_1);
        if (text.matches("(?s).*'descr':\\s*'\\|O'.*")) {
            PickleImports.read(in, into);
        }
    }

    private static boolean plainPickleName(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".pkl") || lower.endsWith(".pickle") || lower.endsWith(".joblib");
    }

    private static byte[] readHead(ByteSource file, int n) throws IOException {
        try (InputStream in = file.open(0, Math.min(n, file.size()))) {
            return in.readNBytes(n);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
