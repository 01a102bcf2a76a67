package dev.atrium.xet.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RangeRequestTest {

    @Test
    void noHeader_meansTheWholeFile() throws Exception {
        assertEquals(Optional.empty(), RangeRequest.parse(null));
        assertEquals(Optional.empty(), RangeRequest.parse(" "));
    }

    @Test
    void closedRange_isEndInclusive() throws Exception {
        RangeRequest r = RangeRequest.parse("bytes=0-100000").orElseThrow();
        assertEquals(new RangeRequest(0, 100000), r);
        assertEquals(new FileRange(0, 100001), r.resolve(1 << 20));
    }

    @Test
    void spacesAndCase_areTolerated() throws Exception {
        assertEquals(Optional.of(new RangeRequest(5, 9)), RangeRequest.parse(" Bytes = 5 - 9 "));
    }

    @Test
    void openEnd_andHfXetsHugeEnd_runToTheEndOfTheFile() throws Exception {
        assertEquals(new FileRange(10, 500), RangeRequest.parse("bytes=10-").orElseThrow().resolve(500));
        RangeRequest huge = RangeRequest.parse("bytes=0-18446744073709551614").orElseThrow();
        assertEquals(new RangeRequest(0, Long.MAX_VALUE), huge);
        assertEquals(new FileRange(0, 500), huge.resolve(500));
    }

    @Test
    void endPastTheFile_isCut() throws Exception {
        assertEquals(new FileRange(490, 500), new RangeRequest(490, 10_000).resolve(500));
        assertEquals(new FileRange(499, 500), new RangeRequest(499, 499).resolve(500));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=", "bytes=-5", "bytes=5-4", "bytes=0-1,4-5", "items=0-1", "0-1", "bytes=a-b",
        "bytes=1-2-3"})
    void malformed_isRefusedWith400(String header) {
        ReconstructionRangeException e = assertThrows(ReconstructionRangeException.class,
                () -> RangeRequest.parse(header));
        assertEquals(ReconstructionRangeException.Reason.MALFORMED, e.reason());
        assertEquals(400, e.reason().httpStatus());
    }

    @Test
    void startAtOrPastTheEnd_isRefusedWith416() {
        ReconstructionRangeException e = assertThrows(ReconstructionRangeException.class,
                () -> new RangeRequest(500, 600).resolve(500));
        assertEquals(ReconstructionRangeException.Reason.NOT_SATISFIABLE, e.reason());
        assertEquals(416, e.reason().httpStatus());
        assertThrows(ReconstructionRangeException.class, () -> new RangeRequest(1, 1).resolve(0));
    }

    @Test
    void startOfAnEmptyFile_selectsNothing() throws Exception {
        assertEquals(new FileRange(0, 0), new RangeRequest(0, 10).resolve(0));
    }
}
