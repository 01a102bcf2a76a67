package dev.atrium.viewer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes bytes through and remembers where the last whole record of a line format ended, so that a file's first bytes
 * can be cut there: any newline ends a JSON Lines record (a JSON string cannot hold a raw one), a CSV or TSV record
 * ends at a newline outside quotes (a doubled quote inside quotes toggles twice, so counting quotes is enough).
 */
final class RecordEnds extends FilterOutputStream {
    private final boolean quoted;
    private boolean inQuotes;
    private long written;
    private long end;

    /** {@code quoted}: the format quotes fields with {@code "} (CSV, TSV), so newlines inside quotes are data. */
    RecordEnds(OutputStream out, boolean quoted) {
        super(out);
        this.quoted = quoted;
    }

    @Override
    public void write(int b) throws IOException {
        note((byte) b);
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            note(b[i]);
        }
        out.write(b, off, len);
    }

    private void note(byte b) {
        written++;
        if (quoted && b == '"') {
            inQuotes = !inQuotes;
        } else if (b == '\n' && !inQuotes) {
            end = written;
        }
    }

    /** How many bytes the whole records written so far hold: 0 when none has ended yet. */
    long end() {
        return end;
    }
}
