package dev.atrium.space;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which process listens on a loopback port, from Linux's {@code /proc}. Apps share the machine's network, and a port
 * chosen for one app is free for a moment before the app takes it: another Space's app could take it first and be
 * sent this one's visitors. So the hub checks that the listener is the app it started.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /**
     * Whether the socket listening on 127.0.0.1:{@code port}, where the hub reaches apps, belongs to
     * {@code process} or one of its descendants; empty when this system has no {@code /proc/net/tcp} to tell.
     */
    static Optional<Boolean> ownedBy(int port, ProcessHandle process) {
        Path tcp = Path.of("/proc/net/tcp");
        if (!Files.isReadable(tcp)) {
            return Optional.empty();
        }
        try {
            Optional<String> inode = listener(tcp, port);
            if (inode.isEmpty()) {
                return Optional.of(false);
            }
            String socket = "socket:[" + inode.get() + "]";
            return Optional.of(Stream.concat(Stream.of(process), process.descendants())
                    .anyMatch(p -> holds(p.pid(), socket)));
        } catch (RuntimeException e) {
            return Optional.of(false);
        }
    }

    /** The inode of the socket listening on {@code port}, from a {@code /proc/net/tcp} table. */
    private static Optional<String> listener(Path table, int port) {
        String address = String.format(Locale.ROOT, "0100007F:%04X", port);
        try {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 9 && f[1].equals(address) && f[3].equals(LISTEN)) {
                    return Optional.of(f[9]);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean holds(long pid, String socket) {
        Path fds = Path.of("/proc", String.valueOf(pid), "fd");
        try (Stream<Path> links = Files.list(fds)) {
            List<Path> all = links.toList();
            for (Path fd : all) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(socket)) {
                        return true;
                    }
                } catch (IOException e) {
                    // Closed meanwhile.
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
