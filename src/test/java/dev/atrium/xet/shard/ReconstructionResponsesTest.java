package dev.atrium.xet.shard;

import static dev.atrium.xet.shard.ReconstructionPlannerTest.FILE;
import static dev.atrium.xet.shard.ReconstructionPlannerTest.STORE;
import static dev.atrium.xet.shard.ReconstructionPlannerTest.X1;
import static dev.atrium.xet.shard.ReconstructionPlannerTest.X2;
import static dev.atrium.xet.shard.ReconstructionPlannerTest.XORB_1;
import static dev.atrium.xet.shard.ReconstructionPlannerTest.XORB_2;
import static dev.atrium.xet.shard.ShardFixtures.hash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.http.Json;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.ReconstructionApi.HttpRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReconstructionResponsesTest {
    private static final ObjectMapper MAPPER = Json.MAPPER;
    private final List<String> signed = new ArrayList<>();

    private final XorbUrlSigner signer = (hash, ranges) -> {
        String url = "https://cas.test/xorbs/default/" + hash.hex() + "?ranges="
                + ranges.stream().map(r -> r.start() + "-" + r.end()).collect(Collectors.joining(","));
        signed.add(url);
        return url;
    };

    private static ReconstructionPlan plan(String range) throws Exception {
        return ReconstructionPlanner.plan(FILE, RangeRequest.parse(range), STORE::get);
    }

    private static JsonNode json(Object body) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsBytes(body));
    }

    @Test
    void v1_hasTheSpecsFieldNames_andOneUrlPerRange() throws Exception {
        JsonNode body = json(ReconstructionResponses.v1(plan("bytes=25-185"), signer));
        assertEquals(List.of("offset_into_first_range", "terms", "fetch_info"), fieldNames(body));
        assertEquals(15, body.get("offset_into_first_range").asLong());
        JsonNode term = body.get("terms").get(0);
        assertEquals(List.of("hash", "unpacked_length", "range"), fieldNames(term));
        assertEquals(X1.hex(), term.get("hash").asText());
        assertEquals(20, term.get("unpacked_length").asLong());
        assertEquals(1, term.get("range").get("start").asInt());
        assertEquals(2, term.get("range").get("end").asInt());

        JsonNode x1 = body.get("fetch_info").get(X1.hex());
        assertEquals(1, x1.size());
        JsonNode info = x1.get(0);
        assertEquals(List.of("range", "url", "url_range"), fieldNames(info));
        assertEquals(1, info.get("range").get("start").asInt());
        assertEquals(2, info.get("range").get("end").asInt());
        assertEquals(XORB_1.packedStart(1), info.get("url_range").get("start").asLong());
        assertEquals(XORB_1.packedEnd(2) - 1, info.get("url_range").get("end").asLong()); // inclusive
        assertEquals(signed.get(0), info.get("url").asText());
        assertEquals(List.of(X1.hex(), X2.hex()), fieldNames(body.get("fetch_info")));
    }

    @Test
    void v1_readsBackAsTheSameValue() throws Exception {
        ReconstructionApi.QueryReconstructionResponse response = ReconstructionResponses.v1(plan(null), signer);
        assertEquals(response, MAPPER.readValue(MAPPER.writeValueAsBytes(response),
                ReconstructionApi.QueryReconstructionResponse.class));
    }

    @Test
    void v2_putsAllRangesOfAXorbBehindOneUrl() throws Exception {
        // Two files' worth of ranges in X1 that do not touch: [0,1) and [2,4).
        FileReconstruction file = new FileReconstruction(hash(5), List.of(
                new FileTerm(X1, 0, 1, 10), new FileTerm(X2, 0, 1, 100), new FileTerm(X1, 2, 4, 70)));
        ReconstructionPlan p = ReconstructionPlanner.plan(file, Optional.empty(), STORE::get);
        JsonNode body = json(ReconstructionResponses.v2(p, signer, ReconstructionResponses.DEFAULT_MAX_RANGES_PER_URL));
        assertEquals(List.of("offset_into_first_range", "terms", "xorbs"), fieldNames(body));
        JsonNode fetches = body.get("xorbs").get(X1.hex());
        assertEquals(1, fetches.size());
        JsonNode fetch = fetches.get(0);
        assertEquals(List.of("url", "ranges"), fieldNames(fetch));
        JsonNode ranges = fetch.get("ranges");
        assertEquals(2, ranges.size());
        assertEquals(List.of("chunks", "bytes"), fieldNames(ranges.get(0)));
        assertEquals(0, ranges.get(0).get("chunks").get("start").asInt());
        assertEquals(2, ranges.get(1).get("chunks").get("start").asInt());
        assertEquals(XORB_1.packedEnd(1) - 1, ranges.get(0).get("bytes").get("end").asLong());
        assertEquals(XORB_1.packedStart(2), ranges.get(1).get("bytes").get("start").asLong());
        String expectedUrl = "https://cas.test/xorbs/default/" + X1.hex() + "?ranges=0-"
                + (XORB_1.packedEnd(1) - 1) + "," + XORB_1.packedStart(2) + "-" + (XORB_1.packedEnd(4) - 1);
        assertEquals(expectedUrl, fetch.get("url").asText());
        assertEquals(XORB_2.packedEnd(1) - 1,
                body.get("xorbs").get(X2.hex()).get(0).get("ranges").get(0).get("bytes").get("end").asLong());
    }

    @Test
    void v2_splitsUrlsAtTheRangeLimit() throws Exception {
        FileReconstruction file = new FileReconstruction(hash(5), List.of(
                new FileTerm(X1, 0, 1, 10), new FileTerm(X2, 0, 1, 100), new FileTerm(X1, 2, 4, 70)));
        ReconstructionPlan p = ReconstructionPlanner.plan(file, Optional.empty(), STORE::get);
        ReconstructionApi.QueryReconstructionResponseV2 v2 = ReconstructionResponses.v2(p, signer, 1);
        assertEquals(2, v2.xorbs().get(X1.hex()).size());
        assertEquals(1, v2.xorbs().get(X1.hex()).get(1).ranges().size());
        assertThrows(IllegalArgumentException.class, () -> ReconstructionResponses.v2(p, signer, 0));
    }

    @Test
    void emptyFile_givesEmptyTermsAndFetchInfo() throws Exception {
        FileReconstruction empty = new FileReconstruction(hash(8), List.of());
        ReconstructionPlan p = ReconstructionPlanner.plan(empty, Optional.empty(), h -> null);
        JsonNode v1 = json(ReconstructionResponses.v1(p, signer));
        assertEquals(0, v1.get("terms").size());
        assertEquals(0, v1.get("fetch_info").size());
        assertEquals(0, json(ReconstructionResponses.v2(p, signer, 10)).get("xorbs").size());
        assertEquals(List.of(), signed);
    }

    @Test
    void batch_sharesFetchInfo_joiningRangesOfDifferentFiles() throws Exception {
        FileReconstruction other = new FileReconstruction(hash(6), List.of(new FileTerm(X1, 3, 4, 40)));
        FileReconstruction first = new FileReconstruction(hash(7), List.of(new FileTerm(X1, 0, 2, 30)));
        Map<MerkleHash, ReconstructionPlan> plans = new LinkedHashMap<>();
        plans.put(first.fileHash(), ReconstructionPlanner.plan(first, Optional.empty(), STORE::get));
        plans.put(other.fileHash(), ReconstructionPlanner.plan(other, Optional.empty(), STORE::get));
        plans.put(FILE.fileHash(), plan(null));
        JsonNode body = json(ReconstructionResponses.batchV1(plans, signer));
        assertEquals(List.of("files", "fetch_info"), fieldNames(body));
        assertEquals(List.of(hash(7).hex(), hash(6).hex(), hash(9).hex()), fieldNames(body.get("files")));
        JsonNode x1 = body.get("fetch_info").get(X1.hex());
        assertEquals(1, x1.size()); // [0,2) + [3,4) + [0,4) joined
        assertEquals(new HttpRange(0, XORB_1.packedEnd(4) - 1),
                MAPPER.treeToValue(x1.get(0).get("url_range"), HttpRange.class));
        assertEquals("bytes=0-" + (XORB_1.packedEnd(4) - 1),
                MAPPER.treeToValue(x1.get(0).get("url_range"), HttpRange.class).header());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
