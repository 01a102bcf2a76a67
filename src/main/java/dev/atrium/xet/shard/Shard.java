package dev.atrium.xet.shard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed or to-be-written shard: file info blocks and CAS info blocks in order, and the footer when the shard
 * has one. A shard uploaded to {@code POST /v1/shards} has none (shard.md: "MUST NOT include the footer"); a
 * global-dedup answer has one (the client stores it as a file and reads it through the footer).
 */
public record Shard(List<FileReconstruction> files, List<CasInfo> xorbs, Optional<ShardFooter> footer) {
    public Shard {
        files = List.copyOf(files);
        xorbs = List.copyOf(xorbs);
        Objects.requireNonNull(footer, "footer");
        long verified = files.stream().filter(f -> f.verificationHashes().isPresent()).count();
        if (verified != 0 && verified != files.size()) {
            throw new IllegalArgumentException("only " + verified + " of " + files.size()
                    + " files carry verification entries; a shard must have them for all files or none");
        }
        if (footer.isPresent()) {
            footer.get().lookupTables().validate(files, xorbs);
        }
    }

    public Shard(List<FileReconstruction> files, List<CasInfo> xorbs) {
        this(files, xorbs, Optional.empty());
    }

    /** True when the files carry term verification entries, which shard uploads MUST have. */
    public boolean hasVerification() {
        return !files.isEmpty() && files.get(0).verificationHashes().isPresent();
    }

    /** This shard as the upload API wants it: no footer, no lookup tables. */
    public Shard withoutFooter() {
        return new Shard(files, xorbs);
    }

    /** The byte offset of the CAS info section. */
    public long casInfoOffset() {
        long records = 1;
        for (FileReconstruction file : files) {
            records += file.recordCount();
        }
        return ShardLayout.HEADER_SIZE + records * ShardLayout.ENTRY_SIZE;
    }

    /** The byte offset just past the CAS info bookend: where lookup tables and footer start, or the end. */
    public long casInfoEnd() {
        long records = 1;
        for (CasInfo xorb : xorbs) {
            records += xorb.recordCount();
        }
        return casInfoOffset() + records * ShardLayout.ENTRY_SIZE;
    }

    /** The length of this shard once serialized. */
    public long serializedSize() {
        return casInfoEnd() + footer.map(f -> f.lookupTables().byteSize() + ShardLayout.FOOTER_SIZE).orElse(0L);
    }
}
