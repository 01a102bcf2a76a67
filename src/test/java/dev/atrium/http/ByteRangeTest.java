package dev.atrium.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    @Test
    void parse_closedRange_isInclusive() {
        ByteRange range = ByteRange.parse("bytes=0-9", 100).orElseThrow();
        assertEquals(new ByteRange(0, 9), range);
        assertEquals(10, range.length());
    }

    @Test
    void parse_singleByte_hasLengthOne() {
        ByteRange range = ByteRange.parse("bytes=99-99", 100).orElseThrow();
        assertEquals(new ByteRange(99, 99), range);
        assertEquals(1, range.length());
    }

    @Test
    void parse_openEnded_runsToLastByte() {
        assertEquals(Optional.of(new ByteRange(10, 99)), ByteRange.parse("bytes=10-", 100));
    }

    @Test
    void parse_suffix_isLastNBytes() {
        ByteRange range = ByteRange.parse("bytes=-10", 100).orElseThrow();
        assertEquals(new ByteRange(90, 99), range);
        assertEquals(10, range.length());
    }

    @Test
    void parse_suffixLongerThanContent_isWholeContent() {
        assertEquals(Optional.of(new ByteRange(0, 99)), ByteRange.parse("bytes=-500", 100));
    }

    @Test
    void parse_endBeyondSize_isClamped() {
        assertEquals(Optional.of(new ByteRange(50, 99)), ByteRange.parse("bytes=50-500", 100));
    }

    @Test
    void parse_surroundingWhitespace_isIgnored() {
        assertEquals(Optional.of(new ByteRange(1, 2)), ByteRange.parse("  bytes=1-2 ", 100));
    }

    @Test
    void parse_startAtSize_throwsRangeNotSatisfiable() {
        Errors.RangeNotSatisfiable e = assertThrows(Errors.RangeNotSatisfiable.class,
                () -> ByteRange.parse("bytes=100-", 100));
        assertEquals(416, e.status());
        assertEquals(Map.of("Content-Range", "bytes */100"), e.headers());
    }

    @Test
    void parse_startBeyondSize_throwsRangeNotSatisfiable() {
        assertThrows(Errors.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=150-200", 100));
    }

    @Test
    void parse_zeroLengthSuffix_throwsRangeNotSatisfiable() {
        assertThrows(Errors.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=-0", 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1,5-6", "bytes=0-1, 5-6", "bytes=-5,10-"})
    void parse_multipleRanges_isEmpty(String header) {
        assertEquals(Optional.empty(), ByteRange.parse(header, 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes=", "bytes=-", "items=0-1", "Bytes=0-1", "bytes=a-b", "0-1"})
    void parse_unusableHeader_isEmpty(String header) {
        assertEquals(Optional.empty(), ByteRange.parse(header, 100));
    }

    @Test
    void parse_noHeader_isEmpty() {
        assertEquals(Optional.empty(), ByteRange.parse(null, 100));
    }

    @Test
    void parse_absurdlyLongNumber_isIgnored() {
        assertEquals(Optional.empty(), ByteRange.parse("bytes=99999999999999999999-", 100));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=-99999999999999999999", 100));
    }

    @Test
    void parse_zeroSizeContentAnyFirstPos_throwsRangeNotSatisfiable() {
        Errors.RangeNotSatisfiable e = assertThrows(Errors.RangeNotSatisfiable.class,
                () -> ByteRange.parse("bytes=0-", 0));
        assertEquals(Map.of("Content-Range", "bytes */0"), e.headers());
        assertThrows(Errors.RangeNotSatisfiable.class, () -> ByteRange.parse("bytes=0-0", 0));
    }

    @Test
    void parse_zeroSizeContentWithoutHeader_isEmpty() {
        assertEquals(Optional.empty(), ByteRange.parse(null, 0));
    }

    @Test
    void parse_zeroSizeContentNonZeroSuffix_isEmpty() {
        assertEquals(Optional.empty(), ByteRange.parse("bytes=-5", 0));
    }
}
