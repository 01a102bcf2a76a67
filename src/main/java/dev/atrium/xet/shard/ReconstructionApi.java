package dev.atrium.xet.shard;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of the reconstruction API (api.md, download-protocol.md; field names as xet-core's
 * {@code cas_types} serialize them). Hashes are in the spec's string form. Maps keep insertion order, which the
 * builders make the order of first use.
 */
public final class ReconstructionApi {
    private ReconstructionApi() {}

    /** Chunk indices {@code [start, end)}. */
    public record IndexRange(long start, long end) {}

    /** Bytes {@code [start, end]}, end inclusive, as in an HTTP {@code Range} header. */
    public record HttpRange(long start, long end) {
        /** The value of a {@code Range} header asking for these bytes. */
        public String header() {
            return "bytes=" + start + "-" + end;
        }
    }

    /** {@code CASReconstructionTerm}. */
    public record Term(
            @JsonProperty("hash") String hash,
            @JsonProperty("unpacked_length") long unpackedLength,
            @JsonProperty("range") IndexRange range) {}

    /** {@code CASReconstructionFetchInfo} (v1): one signed URL per range. */
    public record FetchInfo(
            @JsonProperty("range") IndexRange range,
            @JsonProperty("url") String url,
            @JsonProperty("url_range") HttpRange urlRange) {}

    /** {@code QueryReconstructionResponse}, the body of {@code GET /v1/reconstructions/{file_id}}. */
    public record QueryReconstructionResponse(
            @JsonProperty("offset_into_first_range") long offsetIntoFirstRange,
            @JsonProperty("terms") List<Term> terms,
            @JsonProperty("fetch_info") Map<String, List<FetchInfo>> fetchInfo) {}

    /** {@code XorbRangeDescriptor} (v2). */
    public record XorbRangeDescriptor(
            @JsonProperty("chunks") IndexRange chunks,
            @JsonProperty("bytes") HttpRange bytes) {}

    /** {@code XorbMultiRangeFetch} (v2): one signed URL for several ranges of a xorb, ascending. */
    public record XorbMultiRangeFetch(
            @JsonProperty("url") String url,
            @JsonProperty("ranges") List<XorbRangeDescriptor> ranges) {}

    /** {@code QueryReconstructionResponseV2}, the body of {@code GET /v2/reconstructions/{file_id}}. */
    public record QueryReconstructionResponseV2(
            @JsonProperty("offset_into_first_range") long offsetIntoFirstRange,
            @JsonProperty("terms") List<Term> terms,
            @JsonProperty("xorbs") Map<String, List<XorbMultiRangeFetch>> xorbs) {}

    /** {@code BatchQueryReconstructionResponse}: terms per file id, fetch info shared by all files. */
    public record BatchQueryReconstructionResponse(
            @JsonProperty("files") Map<String, List<Term>> files,
            @JsonProperty("fetch_info") Map<String, List<FetchInfo>> fetchInfo) {}
}
