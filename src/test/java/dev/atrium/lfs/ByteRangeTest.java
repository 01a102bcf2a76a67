package dev.atrium.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.http.Errors;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void parse_closedRange_isInclusive() {
        ByteRange range = ByteRange.parse("bytes=10-19", 100).orElseThrow();

        assertEquals(new ByteRange(10, 19), range);
        assertEquals(10, range.length());
        assertEquals("bytes 10-19/100", range.contentRange(100));
    }

    @Test
    void parse_openAndSuffixRanges_areClampedToTheEnd() {
        assertEquals(Optional.of(new ByteRange(90, 99)), ByteRange.parse("bytes=90-", 100));
        assertEquals(Optional.of(new ByteRange(95, 99)), ByteRange.parse("bytes=95-500", 100));
        assertEquals(Optional.of(new ByteRange(80, 99)), ByteRange.parse("bytes=-20", 100));
        assertEquals(Optional.of(new ByteRange(0, 99)), ByteRange.parse("bytes=-500", 100));
    }

    @Test
    void parse_startBeyondEnd_isNotSatisfiable() {
        assertThrows(Errors.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=100-", 100));
        assertThrows(Errors.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=-0", 100));
        assertThrows(Errors.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=0-", 0));
    }

    @Test
    void parse_absentOrUnsupported_servesEverything() {
        assertEquals(Optional.empty(), ByteRange.parse(null, 100));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=0-1,5-6", 100));
        assertEquals(Optional.empty(), ByteRange.parse("items=0-1", 100));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=5-2", 100));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=a-b", 100));
    }
}
