package dev.atrium.git;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * The SSH server's host key, made once and never half-written: generated into a temporary file beside it, synced,
 * then linked into place, which fails if another node of the hub linked its own first; then every node loads the
 * one that won. (MINA writes a missing key in place, where a node starting at the same moment could read a partial
 * file or overwrite another's key, and clients would then see the host key change.)
 */
final class SshHostKey {
    private SshHostKey() {}

    static SimpleGeneratorHostKeyProvider load(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (!Files.exists(file)) {
            Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                    + Thread.currentThread().getId() + ".tmp");
            try {
                Files.deleteIfExists(temp);
                provider(temp).loadKeys(null); // generates the key and writes it to temp
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                // another node's key is in place: it is the hub's
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return provider(file);
    }

    private static SimpleGeneratorHostKeyProvider provider(Path file) {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
        provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
        provider.setKeySize(256);
        return provider;
    }
}
