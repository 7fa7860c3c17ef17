package dev.tuntcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stats.StatsServer;
import dev.tuntcp.stats.StatsSnapshot;
import dev.tuntcp.stats.StatsSockets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tuntcp stats}: which serve it asks, and a one-line error naming the fix when it cannot. */
class StatsCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        StatsCommand command = new StatsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(StatsSockets.RUN_DIR_VARIABLE, dir.toString()));
        return new CommandLine(command).execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static StatsServer serving(Path socket, String tun) throws Exception {
        return StatsServer.start(socket, () -> new StatsSnapshot(tun, "10.13.0.2", 1500,
                Map.of("TcpStat.PASSIVE_OPENS", 7L), Map.of("Tcp.CurrEstab", 1L)));
    }

    @Test
    void noServeRunningIsOneLineNamingTheFix() {
        assertEquals(1, run());
        assertEquals("tuntcp stats: no running serve found in " + dir
                + " — start tuntcp serve, or pass --socket PATH (what serve printed)\n", err());
    }

    @Test
    void theOnlyRunningServeIsFoundWithoutArguments() throws Exception {
        try (StatsServer s = serving(StatsSockets.forTun(dir, "tt0"), "tt0")) {
            assertEquals(0, run(), err());
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("tuntcp stats: tt0 (10.13.0.2), up 1.5 s\n"), text);
            assertTrue(text.matches("(?s).*\n  PassiveOpens +7\n.*"), text);
            assertTrue(text.matches("(?s).*\n  CurrEstab +1\n.*"), text);
        }
    }

    @Test
    void severalServesNeedTun() throws Exception {
        try (StatsServer a = serving(StatsSockets.forTun(dir, "tt0"), "tt0");
             StatsServer b = serving(StatsSockets.forTun(dir, "tt1"), "tt1")) {
            assertEquals(2, run());
            assertEquals("tuntcp stats: 2 serves are running (tt0, tt1) — pick one with --tun NAME\n", err());
            assertEquals(0, run("--tun", "tt1", "--json"), err());
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("{\n  \"tun\": \"tt1\","), out.toString());
        }
    }

    @Test
    void tunAndSocketTogetherAreAUsageError() {
        assertEquals(2, run("--tun", "tt0", "--socket", "/x.sock"));
        assertEquals("tuntcp stats: --tun and --socket name the serve twice — give one of them\n", err());
    }

    @Test
    void anAbsentTunIsOneLine() {
        assertEquals(1, run("--tun", "tt9"));
        assertEquals("tuntcp stats: no serve answers on " + dir.resolve("tt9.sock") + " (no such socket)\n", err());
    }
}
