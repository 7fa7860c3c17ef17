package dev.tuntcp.stats;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a running {@code serve} answers {@code tuntcp stats}: a Unix-domain socket
 * {@code /run/tuntcp/<tun>.sock}. A path in the file system (not an abstract socket) is reachable from
 * every network namespace that shares the mount, so {@code stats} works from the host even when
 * {@code serve} runs inside {@code ip netns exec}. {@code TUNTCP_RUN_DIR} moves the directory (for
 * users without write access to /run, and for tests).
 */
public final class StatsSockets {
    /** The environment variable that overrides {@link #DEFAULT_DIR}. */
    public static final String RUN_DIR_VARIABLE = "TUNTCP_RUN_DIR";
    public static final Path DEFAULT_DIR = Path.of("/run/tuntcp");
    static final String SUFFIX = ".sock";

    private StatsSockets() {
    }

    /** The directory, from {@code env} (normally {@link System#getenv()}). */
    public static Path directory(Map<String, String> env) {
        String dir = env.get(RUN_DIR_VARIABLE);
        return dir == null || dir.isBlank() ? DEFAULT_DIR : Path.of(dir);
    }

    /** The socket of the serve on device {@code tun}. */
    public static Path forTun(Path directory, String tun) {
        return directory.resolve(tun + SUFFIX);
    }

    /** The device name a socket path stands for ({@code tt0} for {@code …/tt0.sock}). */
    public static String tunOf(Path socket) {
        String name = socket.getFileName().toString();
        return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    }

    /** Every {@code *.sock} in {@code directory}, sorted; empty if it does not exist. */
    public static List<Path> list(Path directory) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            entries.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
