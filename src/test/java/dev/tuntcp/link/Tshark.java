package dev.tuntcp.link;

import dev.tuntcp.link.Netns.ExecResult;
import dev.tuntcp.testing.RequiredTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a pcap back with tshark, one row of fields per packet, checksum validation on. */
final class Tshark {
    private Tshark() {
    }

    static List<String[]> fields(Path pcap, String... fields) {
        RequiredTools.require("tshark", "tshark");
        List<String> argv = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "ip.check_checksum:TRUE", "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            argv.add("-e");
            argv.add(f);
        }
        ExecResult r = Netns.run(Duration.ofSeconds(60), argv.toArray(String[]::new));
        if (!r.ok()) {
            throw new AssertionError(r.describe());
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split("\\|", -1));
            }
        }
        return rows;
    }
}
