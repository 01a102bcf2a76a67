package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes a {@link Shard} in the binary format. For every shard {@link ShardParser} accepts, writing the parsed
 * value gives back the same bytes, except for bytes the spec marks {@code _unused}, which are written as zero
 * (xet-core writes them as zero outside its own test builds, and ignores them when reading).
 */
public final class ShardSerializer {
    private static final byte[] BOOKEND = new byte[ShardLayout.ENTRY_SIZE];

    static {
        Arrays.fill(BOOKEND, 0, MerkleHash.LENGTH, (byte) 0xff);
    }

    private ShardSerializer() {}

    public static byte[] toBytes(Shard shard) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(shard.serializedSize()));
        try {
            write(shard, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    public static void write(Shard shard, OutputStream out) throws IOException {
        ByteBuffer header = record();
        header.put(ShardLayout.HEADER_TAG).putLong(ShardLayout.HEADER_VERSION)
                .putLong(shard.footer().isPresent() ? ShardLayout.FOOTER_SIZE : 0);
        out.write(header.array());
        for (FileReconstruction file : shard.files()) {
            out.write(record().put(file.fileHash().toBytes()).putInt(file.flags()).putInt(file.terms().size()).array());
            for (FileTerm term : file.terms()) {
                out.write(record().put(term.xorbHash().toBytes()).putInt(term.casFlags())
                        .putInt((int) term.unpackedLength()).putInt(term.chunkStart()).putInt(term.chunkEnd())
                        .array());
            }
            if (file.verificationHashes().isPresent()) {
                for (MerkleHash hash : file.verificationHashes().get()) {
                    out.write(record().put(hash.toBytes()).array());
                }
            }
            if (file.sha256().isPresent()) {
                out.write(record().put(file.sha256().get().toBytes()).array());
            }
        }
        out.write(BOOKEND);
        for (CasInfo xorb : shard.xorbs()) {
            out.write(record().put(xorb.xorbHash().toBytes()).putInt(xorb.casFlags()).putInt(xorb.chunks().size())
                    .putInt((int) xorb.numBytesInXorb()).putInt((int) xorb.numBytesOnDisk()).array());
            for (CasChunk chunk : xorb.chunks()) {
                out.write(record().put(chunk.chunkHash().toBytes()).putInt((int) chunk.byteRangeStart())
                        .putInt((int) chunk.unpackedLength()).putInt(chunk.flags()).array());
            }
        }
        out.write(BOOKEND);
        if (shard.footer().isPresent()) {
            out.write(ShardFooterCodec.write(shard.footer().get(), shard.casInfoOffset(), shard.casInfoEnd()));
        }
    }

    private static ByteBuffer record() {
        return ShardLayout.le(new byte[ShardLayout.ENTRY_SIZE]);
    }
}
