package dev.atrium.xet.cas;

import dev.atrium.storage.BlobStore;
import dev.atrium.storage.NamedKey;
import dev.atrium.storage.Sha256;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.XetHashes;
import dev.atrium.xet.shard.FileReconstruction;
import dev.atrium.xet.shard.Shard;
import dev.atrium.xet.shard.ShardFormatException;
import dev.atrium.xet.shard.ShardParser;
import dev.atrium.xet.shard.ShardUploadCheck;
import dev.atrium.xet.shard.GlobalDedup;
import dev.atrium.xet.shard.XorbInfo;
import dev.atrium.xet.xorb.XorbChunk;
import dev.atrium.xet.xorb.XorbFooter;
import dev.atrium.xet.xorb.XorbReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Accepting xorbs and shards. A xorb is validated and hashed as it streams into a temp file (an upload whose
 * content does not hash to its name stores nothing), then kept as its chunks plus Atrium's own footer. A shard is
 * accepted only when every xorb it references is stored and every term's verification hash matches the stored
 * chunks, which proves the uploader had the data; then its files are registered in the token's repo.
 */
public final class XetUploads {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(XetUploads.class);
    private final BlobStore blobs;
    private final XetStore store;
    private final XetSha256Checks checks;
    private final Path tmp;

    public XetUploads(BlobStore blobs, XetStore store, XetSha256Checks checks, Path tmp) throws IOException {
        this.blobs = blobs;
        this.store = store;
        this.checks = checks;
        this.tmp = tmp;
        LOG.info("Xet uploads are verified with {}", XetHashes.implementation());
        Files.createDirectories(tmp);
        try (var leftovers = Files.list(tmp)) {
            for (Path p : leftovers.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** @return false when the xorb was already stored */
    public boolean storeXorb(MerkleHash hash, InputStream body, XetGrant grant) throws IOException, XetFormatException {
        if (store.hasXorb(hash)) {
            body.transferTo(OutputStream.nullOutputStream());
            return false;
        }
        XorbReader.ParsedXorb[] parsed = new XorbReader.ParsedXorb[1];
        BlobStore.NamedBlob blob = blobs.putNamed(out -> {
            parsed[0] = new XorbReader().read(body, out, hash);
            byte[] footer = XorbFooter.serialize(parsed[0].index());
            out.write(footer);
            // Named by its footer: the xorb hash and every chunk's hash and boundaries, all just verified. Two
            // uploads with the same footer serve the same bytes at the same offsets (if compressed differently),
            // so either may be kept; and the footer is a few KB where SHA-256 of the whole would cost more than
            // receiving and verifying it.
            return new NamedKey(Sha256.of(footer).hex());
        });
        return store.insertXorb(info(parsed[0], blob.size()), new XorbSource.Stored(blob.key()), grant.userId());
    }

    private static XorbInfo info(XorbReader.ParsedXorb parsed, long serializedLength) {
        List<dev.atrium.xet.shard.XorbChunk> chunks = new ArrayList<>(parsed.index().chunkCount());
        for (XorbChunk c : parsed.index().chunks()) {
            chunks.add(new dev.atrium.xet.shard.XorbChunk(c.hash(), c.unpackedStart(), c.size(), c.serializedStart(),
                    c.serializedLength()));
        }
        return new XorbInfo(parsed.hash(), chunks, serializedLength);
    }

    /**
     * A file is kept once, with the SHA-256 its first upload claimed; when a later upload of the same file claims
     * another, the file is read and hashed now, so neither claim stands by being first: the true one is accepted, a
     * false one refused. (A first claim that was false would otherwise keep the file from every honest upload.)
     */
    private void settleDisagreements(Shard shard) throws IOException, ShardFormatException {
        for (FileReconstruction file : shard.files()) {
            if (file.sha256().isEmpty()) {
                continue;
            }
            Sha256 claimed = new Sha256(file.sha256().get().hex());
            Optional<XetStore.Sha256Claim> known = store.sha256Claim(file.fileHash());
            if (known.isPresent() && !claimed.equals(known.get().sha256())) {
                Sha256 real = checks.check(file.fileHash()).orElseThrow(
                        () -> new IOException("Xet file " + file.fileHash() + " vanished while being checked"));
                if (!real.equals(claimed)) {
                    throw new ShardFormatException("file " + file.fileHash() + " has SHA-256 " + real.hex()
                            + ", not " + claimed.hex());
                }
            }
        }
    }

    /** @return false when this exact shard was registered before */
    public boolean registerShard(InputStream body, XetGrant grant) throws IOException, ShardFormatException {
        MessageDigest digest = Sha256.newDigest();
        Path temp = Files.createTempFile(tmp, "shard-", ".part");
        try {
            long size;
            try (InputStream in = new DigestInputStream(body, digest)) {
                size = Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Sha256 sha = Sha256.of(digest);
            Shard shard;
            try (InputStream in = Files.newInputStream(temp)) {
                shard = ShardParser.parse(in);
            }
            ShardUploadCheck.checkForm(shard, true);
            ShardUploadCheck.checkAgainstStore(shard,
                    xorb -> store.xorb(xorb).map(s -> s.info().toCasInfo()).orElse(null),
                    XetHashes::verificationHash,
                    chunks -> XetHashes.fileHash(chunks.stream()
                            .map(c -> new HashedChunk(c.chunkHash(), c.unpackedLength())).toList()));
            settleDisagreements(shard);
            boolean known = store.shardKnown(sha);
            store.registerShard(sha, size, grant.repoId(), grant.userId(), shard.files(),
                    GlobalDedup.chunksToIndex(shard));
            checks.checkLater(shard.files().stream().filter(f -> f.sha256().isPresent())
                    .map(FileReconstruction::fileHash).toList());
            return !known;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
