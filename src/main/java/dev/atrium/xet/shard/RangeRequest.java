package dev.atrium.xet.shard;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Range} header of {@code GET /v1|v2/reconstructions/{file_id}}: {@code bytes=<first>-<last>}, last
 * inclusive (api.md). An end past the file is cut to the file. {@code bytes=<first>-} is also taken, meaning to the
 * end. Suffix ranges and multiple ranges are refused as malformed: the spec defines neither, and a client asking
 * for a range it would not get must not silently receive the whole file.
 *
 * <p>hf_xet turns an open-ended request into {@code bytes=<first>-18446744073709551614} (u64::MAX - 1), so numbers
 * beyond {@code Long.MAX_VALUE} are accepted and capped.
 *
 * @param last inclusive; {@code Long.MAX_VALUE} for "to the end"
 */
public record RangeRequest(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("(?i)\\s*bytes\\s*=\\s*(\\d+)\\s*-\\s*(\\d*)\\s*");
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    public RangeRequest {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("invalid byte range " + first + "-" + last);
        }
    }

    /** Empty when there is no header (the whole file); refused when the header is not a single byte range. */
    public static Optional<RangeRequest> parse(@Nullable String header) throws ReconstructionRangeException {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header);
        if (!m.matches()) {
            throw new ReconstructionRangeException(ReconstructionRangeException.Reason.MALFORMED,
                    "Range must be bytes=<first>-<last>, not: " + header);
        }
        long first = capped(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : capped(m.group(2));
        if (last < first) {
            throw new ReconstructionRangeException(ReconstructionRangeException.Reason.MALFORMED,
                    "Range ends before it starts: " + header);
        }
        return Optional.of(new RangeRequest(first, last));
    }

    /**
     * The bytes {@code [start, end)} of a file of {@code size} bytes this range selects. A start at or past the end
     * is not satisfiable, except {@code bytes=0-...} on an empty file, which selects nothing (xet-core's reference
     * server answers that with an empty reconstruction rather than 416).
     */
    public FileRange resolve(long size) throws ReconstructionRangeException {
        if (first >= size) {
            if (size == 0 && first == 0) {
                return new FileRange(0, 0);
            }
            throw new ReconstructionRangeException(ReconstructionRangeException.Reason.NOT_SATISFIABLE,
                    "Range starts at byte " + first + " of a " + size + "-byte file");
        }
        return new FileRange(first, last >= size - 1 ? size : last + 1);
    }

    private static long capped(String digits) {
        BigInteger value = new BigInteger(digits);
        return value.compareTo(MAX) > 0 ? Long.MAX_VALUE : value.longValue();
    }
}
