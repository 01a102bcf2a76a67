package dev.atrium.xet.xorb;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.hash.XetHashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Serializes chunks into a xorb, streaming: each chunk is encoded and written as it is added, then {@link #finish}
 * writes the footer (or not) and returns the index. For tests, and for re-packing chunks into new xorbs.
 *
 * <p>It keeps to what the reference client produces: at most 64 MiB of uncompressed chunk data and at most 8,192
 * chunks per xorb (xorb.md: writers SHOULD apply that cap); callers cut a new xorb when {@link #fits} says no.
 */
public final class XorbWriter {
    /** The reference client's cap on chunks per xorb. */
    public static final int MAX_CHUNKS = 8192;

    private final OutputStream out;
    private final @Nullable CompressionScheme scheme;
    private final List<XorbChunk> chunks = new ArrayList<>();
    private int serialized;
    private int unpacked;
    private boolean finished;

    /**
     * @param scheme the scheme to try for every chunk (a chunk it does not shrink is stored uncompressed), or null to
     *     try LZ4 and byte-grouped LZ4 on every chunk and keep the smaller
     */
    public XorbWriter(OutputStream out, @Nullable CompressionScheme scheme) {
        this.out = out;
        this.scheme = scheme;
    }

    /** Whether a chunk of {@code size} bytes can still be added without passing the xorb limits. */
    public boolean fits(int size) {
        return chunks.size() < MAX_CHUNKS && (long) unpacked + size <= XorbLimits.MAX_XORB_BYTES;
    }

    /** Encodes and writes one chunk of at most 128 KiB. */
    public XorbChunk add(byte[] chunk) throws IOException {
        ChunkCodec.EncodedChunk encoded = scheme == null ? ChunkCodec.encodeSmallest(chunk)
                : ChunkCodec.encode(chunk, scheme);
        return append(encoded, XetHashes.chunkHash(chunk), chunk.length);
    }

    /**
     * Writes a chunk that is already encoded, such as one copied from another xorb, without re-compressing it. It is
     * decoded once to compute its hash, so a corrupt payload cannot slip into the new xorb.
     */
    public XorbChunk addEncoded(ChunkHeader header, byte[] payload) throws IOException, XetFormatException {
        byte[] data = ChunkCodec.decode(header, payload, 0);
        return append(new ChunkCodec.EncodedChunk(header, payload.clone()), XetHashes.chunkHash(data), data.length);
    }

    /** Ends the xorb, writing the version 1 footer if asked to, and returns its index. */
    public XorbIndex finish(boolean withFooter) throws IOException {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
        if (chunks.isEmpty()) {
            throw new IllegalStateException("a xorb needs at least one chunk");
        }
        finished = true;
        XorbIndex index = XorbIndex.of(chunks);
        if (withFooter) {
            out.write(XorbFooter.serialize(index));
        }
        return index;
    }

    /** A serialized xorb in memory with its index. */
    public record SerializedXorb(byte[] bytes, XorbIndex index) {
        public MerkleHash hash() {
            return index.hash();
        }
    }

    /** Serializes {@code chunks} into one xorb in memory. */
    public static SerializedXorb serialize(List<byte[]> chunks, @Nullable CompressionScheme scheme,
            boolean withFooter) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        XorbWriter writer = new XorbWriter(buffer, scheme);
        try {
            for (byte[] chunk : chunks) {
                writer.add(chunk);
            }
            XorbIndex index = writer.finish(withFooter);
            return new SerializedXorb(buffer.toByteArray(), index);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
    }

    private XorbChunk append(ChunkCodec.EncodedChunk encoded, MerkleHash hash, int size) throws IOException {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
        if (!fits(size)) {
            throw new IllegalStateException("the xorb is full: cut a new one");
        }
        ChunkHeader header = encoded.header();
        out.write(header.toBytes());
        out.write(encoded.payload());
        XorbChunk chunk = new XorbChunk(hash, serialized, serialized + header.serializedLength(), unpacked,
                unpacked + size);
        chunks.add(chunk);
        serialized = chunk.serializedEnd();
        unpacked = chunk.unpackedEnd();
        return chunk;
    }
}
