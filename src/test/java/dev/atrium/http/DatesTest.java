package dev.atrium.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class DatesTest {

    @Test
    void iso_epoch_hasMillisAndZ() {
        assertEquals("1970-01-01T00:00:00.000Z", Dates.iso(0));
    }

    @Test
    void iso_wholeSecond_stillPrintsThreeFractionDigits() {
        long millis = Instant.parse("2024-03-05T07:08:09Z").toEpochMilli();
        assertEquals("2024-03-05T07:08:09.000Z", Dates.iso(millis));
    }

    @Test
    void iso_millis_arePaddedToThreeDigits() {
        long millis = Instant.parse("2024-12-31T23:59:59.007Z").toEpochMilli();
        assertEquals("2024-12-31T23:59:59.007Z", Dates.iso(millis));
    }

    @Test
    void iso_nonUtcDefaultZone_isStillUtc() {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            long millis = Instant.parse("2024-06-01T00:30:00.123Z").toEpochMilli();
            assertEquals("2024-06-01T00:30:00.123Z", Dates.iso(millis));
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void iso_output_roundTripsThroughInstantParse() {
        long millis = 1_717_171_717_171L;
        assertEquals(millis, Instant.parse(Dates.iso(millis)).toEpochMilli());
    }
}
