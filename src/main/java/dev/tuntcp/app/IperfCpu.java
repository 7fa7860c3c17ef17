package dev.tuntcp.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's CPU time, for the {@code cpu_util_*} figures of iperf3's results (the client prints
 * them as "remote/receiver" CPU with {@code -V} and in {@code -J}). Read from {@code /proc/self/stat}
 * (utime and stime, in clock ticks of 1/100 s on Linux); where that is unreadable the figures are 0.
 * Read twice per test, never per segment.
 */
final class IperfCpu {
    /** USER_HZ: the unit of utime and stime in /proc (100 on every Linux architecture we run on). */
    private static final double TICKS_PER_SECOND = 100.0;

    private IperfCpu() {
    }

    /** {user ticks, system ticks}, or {0, 0} when unknown. */
    static long[] sample() {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc/self/stat")), StandardCharsets.US_ASCII);
            // Fields after the command name (which may contain spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException unreadable) {
            return new long[] {0, 0};
        }
    }

    /** {total, user, system} in percent of one CPU over {@code wallNanos}. */
    static double[] usage(long[] start, long[] end, long wallNanos) {
        if (start == null || end == null || wallNanos <= 0) {
            return new double[] {0, 0, 0};
        }
        double wall = wallNanos / 1e9;
        double user = Math.max(0, end[0] - start[0]) / TICKS_PER_SECOND / wall * 100;
        double system = Math.max(0, end[1] - start[1]) / TICKS_PER_SECOND / wall * 100;
        return new double[] {user + system, user, system};
    }
}
