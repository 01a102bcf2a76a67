package dev.atrium.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowedSourceTest {
    private final byte[] data = new byte[100];
    private final List<long[]> reads = new ArrayList<>();
    private final WindowedSource source;

    WindowedSourceTest() {
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        source = new WindowedSource(data.length, 7, (offset, length) -> {
            reads.add(new long[] {offset, length});
            return Arrays.copyOfRange(data, (int) offset, (int) Math.min(data.length, offset + length));
        });
    }

    @Test
    void readsARange_windowByWindow() throws IOException {
        try (InputStream in = source.open(10, 30)) {
            assertArrayEquals(Arrays.copyOfRange(data, 10, 40), in.readAllBytes());
        }
        assertEquals(5, reads.size(), "30 bytes in windows of 7");
        assertEquals(7, reads.get(0)[1]);
        assertEquals(2, reads.get(4)[1], "the last window stops at the range's end");
    }

    @Test
    void skippedBytes_pastTheWindow_areNeverRead() throws IOException {
        try (InputStream in = source.open(0, 100)) {
            assertEquals(0, in.read());
            in.skipNBytes(60);
            assertEquals(61, in.read());
            in.skipNBytes(100 - 62);
            assertEquals(-1, in.read());
        }
        assertEquals(List.of(0L, 61L), reads.stream().map(r -> r[0]).toList());
    }

    @Test
    void aRangePastTheEnd_stopsAtTheEnd() throws IOException {
        try (InputStream in = source.open(95, 50)) {
            assertArrayEquals(Arrays.copyOfRange(data, 95, 100), in.readAllBytes());
        }
    }
}
