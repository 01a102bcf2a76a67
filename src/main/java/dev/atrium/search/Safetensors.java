package dev.atrium.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parameter counts from a safetensors header: an 8-byte little-endian length, then that many bytes of JSON mapping
 * tensor names to {@code {dtype, shape, data_offsets}} (and an optional {@code __metadata__}). Only the header is
 * read.
 */
public final class Safetensors {
    /** The Hub refuses headers above 25 MB; a larger one is malformed or hostile. */
    static final int MAX_HEADER = 25_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {}

    /** Parameters by dtype, summed over tensors. */
    public static Map<String, Long> parameters(HeaderReader file) throws IOException, MalformedHeaderException {
        byte[] prefix = file.read(0, 8);
        if (prefix.length < 8) {
            throw new MalformedHeaderException("shorter than the 8-byte header length");
        }
        long length = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (length <= 1 || length > MAX_HEADER) {
            throw new MalformedHeaderException("declares a header of " + Long.toUnsignedString(length)
                    + " bytes (at most " + MAX_HEADER + ")");
        }
        byte[] header = file.read(8, (int) length);
        if (header.length < length) {
            throw new MalformedHeaderException("is truncated: its header needs " + length + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw new MalformedHeaderException("has a header that is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedHeaderException("has a header that is not a JSON object");
        }
        Map<String, Long> byDtype = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> tensor = it.next();
            if (tensor.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode dtype = tensor.getValue().get("dtype");
            JsonNode shape = tensor.getValue().get("shape");
            if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray()) {
                throw new MalformedHeaderException("describes tensor \"" + tensor.getKey() + "\" without dtype and shape");
            }
            try {
                long count = 1;
                for (JsonNode dim : shape) {
                    if (!dim.canConvertToLong() || dim.asLong() < 0) {
                        throw new MalformedHeaderException("gives tensor \"" + tensor.getKey() + "\" a bad shape");
                    }
                    count = Math.multiplyExact(count, dim.asLong());
                }
                byDtype.merge(dtype.asText(), count, Math::addExact);
            } catch (ArithmeticException e) {
                throw new MalformedHeaderException("counts more parameters than fit in 64 bits");
            }
        }
        return byDtype;
    }
}
