package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.TuntcpJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code benchmarks/e2e.sh --quick} (issue 9 item 2) runs in one go against this build — 1-second
 * iperf3 runs, 50 connections, 100 idle connections — and its one table has every row at both MTUs
 * with a number (and a ratio to the kernel over veth) for tuntcp, the kernel, pasta and slirp4netns:
 * so the script cannot rot while the stack changes. The figures themselves are not judged here (speed
 * is measured by the full run, recorded in docs/benchmarks.md). Afterwards none of the script's
 * namespaces is left.
 */
@KernelTest
class E2eBenchSmokeTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** The rows of the table, in order, as report.py labels them. */
    private static final List<String> ROWS = List.of("kernel → stack, iperf3 -c", "stack → kernel, iperf3 -R",
            "connections/s", "echo round trip p50", "echo round trip p99", "RSS at rest", "RSS with 100 idle connections");
    private static final List<String> MTUS = List.of("1500", "65520");
    /** A figure with its ratio: "12.34 (0.56)". */
    private static final Pattern WITH_RATIO = Pattern.compile("\\d+(\\.\\d+)? \\(\\d+\\.\\d\\d\\)");
    private static final Pattern FIGURE = Pattern.compile("\\d+(\\.\\d+)?");
    /** report.py's layout: a 48-character label, then one 18-character column per system. */
    private static final int LABEL = 48;
    private static final int COLUMN = 18;
    private static final String[] SYSTEMS = {"tuntcp", "kernel", "pasta", "slirp4netns"};

    @TempDir
    Path out;

    @Test
    void theQuickRunFillsEveryRowOfTheTable() throws Exception {
        RequiredTools.require("iperf3", "iperf3");
        RequiredTools.require("pasta", "passt");
        RequiredTools.require("slirp4netns", "slirp4netns");
        RequiredTools.require("gcc", "gcc");
        String tag = "smk" + Long.toHexString(System.nanoTime() & 0xfffff);
        // The script's TUNTCP: this build's classes in a child JVM, as a user's ./tuntcp would run them.
        String tuntcp = String.join(" ", TuntcpJvm.command(List.of()));
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("benchmarks/e2e.sh").toString(), "--quick",
                "--out", out.toString())
                .redirectOutput(out.resolve("stdout.txt").toFile())
                .redirectError(out.resolve("stderr.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("TUNTCP", tuntcp);
        env.put("E2E_TAG", tag);
        env.remove("TUNTCP_SERVE_ARGS");
        long start = System.nanoTime();
        Process script = pb.start();
        try {
            if (!script.waitFor(240, TimeUnit.SECONDS)) {
                script.destroy(); // SIGTERM: the script's trap removes its namespaces and processes
                if (!script.waitFor(30, TimeUnit.SECONDS)) {
                    Netns.kill(script);
                }
                throw new AssertionError("e2e.sh --quick took more than 240 s:\n" + output());
            }
        } finally {
            leftovers(tag).forEach(Netns::delete);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.err.println("E2eBenchSmokeTest: e2e.sh --quick took " + seconds + " s");
        assertEquals(0, script.exitValue(), "e2e.sh --quick failed:\n" + output());
        assertTrue(leftovers(tag).isEmpty(), "the script left namespaces behind: " + leftovers(tag));

        String table = Files.readString(out.resolve("e2e-table.txt"), StandardCharsets.UTF_8);
        assertFalse(table.contains("skipped"), "nothing may be skipped where the tools are installed:\n" + table);
        for (String mtu : MTUS) {
            List<String> section = section(table, mtu);
            assertEquals(ROWS.size(), section.size(), "MTU " + mtu + " has every row:\n" + table);
            for (int r = 0; r < ROWS.size(); r++) {
                String row = section.get(r);
                assertTrue(row.strip().startsWith(ROWS.get(r)), "row " + r + " of MTU " + mtu + " is " + ROWS.get(r) + ": " + row);
                for (int s = 0; s < SYSTEMS.length; s++) {
                    String cell = row.substring(Math.min(row.length(), LABEL + s * COLUMN),
                            Math.min(row.length(), LABEL + (s + 1) * COLUMN)).strip();
                    boolean rss = ROWS.get(r).startsWith("RSS");
                    if (rss && SYSTEMS[s].equals("kernel")) {
                        assertEquals("—", cell, "the kernel has no process whose RSS would count: " + row);
                    } else if (rss) {
                        assertTrue(FIGURE.matcher(cell).matches(), SYSTEMS[s] + " has an RSS figure at MTU " + mtu + ": " + row);
                    } else {
                        assertTrue(WITH_RATIO.matcher(cell).matches(),
                                SYSTEMS[s] + " has a figure and a ratio at MTU " + mtu + ": '" + cell + "' in\n" + row);
                    }
                }
            }
        }
        assertTrue(table.contains("issue 9 goals measured here:"), table);
        String json = Files.readString(out.resolve("e2e.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"goals\"") && json.contains("\"65520\""), json);
        String svg = Files.readString(out.resolve("e2e-ratios.svg"), StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<svg") && svg.contains("<rect") && svg.strip().endsWith("</svg>"), svg);
    }

    /** The rows under the "MTU n" heading, up to the next heading or the first line that is no row. */
    private static List<String> section(String table, String mtu) {
        List<String> rows = new ArrayList<>();
        boolean in = false;
        for (String line : table.lines().toList()) {
            if (line.startsWith("MTU ")) {
                in = line.startsWith("MTU " + mtu + " ");
                continue;
            }
            if (in && line.startsWith("  ")) {
                rows.add(line);
            } else if (in) {
                in = false;
            }
        }
        return rows;
    }

    private static List<String> leftovers(String tag) {
        return Netns.list().stream().filter(n -> n.startsWith("tt-e2e-" + tag + "-")).toList();
    }

    private String output() throws java.io.IOException {
        return "stdout:\n" + Files.readString(out.resolve("stdout.txt")) + "\nstderr:\n" + Files.readString(out.resolve("stderr.txt"));
    }
}
