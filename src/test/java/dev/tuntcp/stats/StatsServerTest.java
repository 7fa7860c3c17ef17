package dev.tuntcp.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stats socket end to end over a real Unix-domain socket (no privileges needed). */
class StatsServerTest {
    @TempDir
    Path dir;

    private static StatsSnapshot snapshot(long passiveOpens) {
        return new StatsSnapshot("tt0", "10.13.0.2", 5, Map.of("TcpStat.PASSIVE_OPENS", passiveOpens), Map.of());
    }

    @Test
    void eachConnectionGetsAFreshSnapshotAndCloseRemovesTheSocket() throws IOException {
        AtomicLong opens = new AtomicLong();
        Path path = StatsSockets.forTun(dir.resolve("run"), "tt0");
        try (StatsServer server = StatsServer.start(path, () -> snapshot(opens.incrementAndGet()))) {
            assertEquals(path, server.path());
            assertEquals(List.of(path), StatsSockets.list(dir.resolve("run")));
            for (long i = 1; i <= 3; i++) {
                StatsSnapshot.Parsed p = StatsClient.fetch(path, 5000);
                assertTrue(p.ok(), p.error());
                assertEquals(i, p.snapshot().counter("TcpStat.PASSIVE_OPENS"));
            }
        }
        assertFalse(Files.exists(path), "socket removed on close");
        StatsSnapshot.Parsed gone = StatsClient.fetch(path, 1000);
        assertTrue(gone.error().startsWith("no serve answers on " + path), gone.error());
    }

    @Test
    void aFailingSourceIsReportedNotHung() throws IOException {
        Path path = dir.resolve("tt1.sock");
        try (StatsServer server = StatsServer.start(path, () -> {
            throw new java.util.concurrent.RejectedExecutionException("loop terminated");
        })) {
            StatsSnapshot.Parsed p = StatsClient.fetch(path, 5000);
            assertEquals("serve is stopping (RejectedExecutionException)", p.error());
        }
    }

    @Test
    void aLiveSocketIsNotTakenOverButAStaleOneIs() throws IOException {
        Path path = dir.resolve("tt2.sock");
        try (StatsServer first = StatsServer.start(path, () -> snapshot(1))) {
            IOException e = assertThrows(IOException.class, () -> StatsServer.start(path, () -> snapshot(2)));
            assertTrue(e.getMessage().contains("in use by another running serve"), e.getMessage());
            assertEquals(1, StatsClient.fetch(path, 5000).snapshot().counter("TcpStat.PASSIVE_OPENS"), "first still answers");
        }
        // A serve killed with SIGKILL leaves its socket file; nobody listens on it any more.
        java.nio.channels.ServerSocketChannel dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        dead.bind(java.net.UnixDomainSocketAddress.of(path));
        dead.close();
        assertTrue(Files.exists(path));
        try (StatsServer second = StatsServer.start(path, () -> snapshot(2))) {
            assertEquals(2, StatsClient.fetch(path, 5000).snapshot().counter("TcpStat.PASSIVE_OPENS"));
        }
    }

    @Test
    void theDirectoryComesFromTheEnvironment() {
        assertEquals(StatsSockets.DEFAULT_DIR, StatsSockets.directory(Map.of()));
        assertEquals(Path.of("/tmp/x"), StatsSockets.directory(Map.of(StatsSockets.RUN_DIR_VARIABLE, "/tmp/x")));
        assertEquals("tt0", StatsSockets.tunOf(Path.of("/run/tuntcp/tt0.sock")));
        assertEquals(List.of(), StatsSockets.list(dir.resolve("absent")));
    }
}
