package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where the last whole record of a file's first bytes ends. */
class RecordEndsTest {

    private static long end(String text, boolean quoted) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (RecordEnds ends = new RecordEnds(sink, quoted)) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            ends.write(bytes, 0, 3); // in two writes, as a stream delivers them
            ends.write(bytes, 3, bytes.length - 3);
            assertEquals(text, sink.toString(StandardCharsets.UTF_8), "passed through");
            return ends.end();
        }
    }

    @Test
    void csvRecords_endAtNewlinesOutsideQuotes() throws IOException {
        assertEquals("a,b\n1,2\n".length(), end("a,b\n1,2\n3,", true));
        assertEquals("a,b\n".length(), end("a,b\n1,\"two\nlines", true), "inside quotes: data, not an end");
        assertEquals("a,b\n1,\"x\"\"\ny\"\n".length(), end("a,b\n1,\"x\"\"\ny\"\n2,\"", true),
                "a doubled quote stays inside the field");
    }

    @Test
    void jsonLines_endAtEveryNewline() throws IOException {
        assertEquals("{\"a\": \"\\\"\"}\n".length(), end("{\"a\": \"\\\"\"}\n{\"a\": 1", false),
                "an escaped quote does not open anything");
    }

    @Test
    void noNewline_noRecord() throws IOException {
        assertEquals(0, end("a very long first line", true));
    }
}
