package dev.tuntcp.e2e;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.RequiredTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pcap read back by tshark with checksum validation on (IP and TCP), one {@link Packet} per TCP
 * segment, grouped by tshark's own stream numbers: an opinion about the wire independent of the
 * stack's code.
 */
final class WireCapture {
    /** One TCP segment as tshark saw it; sequence numbers raw (absolute), unsigned. */
    record Packet(int frame, int stream, String source, int sourcePort, int flags, long seq, long ack, int length,
                  String tcpChecksum, String ipChecksum, long timeMicros) {
        static final int FIN = 0x01;
        static final int SYN = 0x02;
        static final int RST = 0x04;
        static final int ACK = 0x10;

        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** The sequence number right after this segment (SYN and FIN count one each). */
        long end() {
            return (seq + length + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0)) & 0xffffffffL;
        }

        @Override
        public String toString() {
            return "#" + frame + " " + source + ":" + sourcePort + " flags 0x" + Integer.toHexString(flags)
                    + " seq " + seq + " ack " + ack + " len " + length;
        }
    }

    private WireCapture() {
    }

    private static List<String> tshark(Path pcap, String filter, String... fields) {
        RequiredTools.require("tshark", "tshark");
        List<String> argv = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-o", "tcp.analyze_sequence_numbers:TRUE", "-Y", filter,
                "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            argv.add("-e");
            argv.add(f);
        }
        Netns.ExecResult r = Netns.run(Duration.ofSeconds(60), argv.toArray(String[]::new));
        if (!r.ok()) {
            throw new AssertionError(r.describe());
        }
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Every TCP segment, by stream, in capture order. */
    static Map<Integer, List<Packet>> streams(Path pcap) {
        Map<Integer, List<Packet>> streams = new LinkedHashMap<>();
        for (String line : tshark(pcap, "tcp", "frame.number", "tcp.stream", "ip.src", "tcp.srcport", "tcp.flags",
                "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.checksum.status", "ip.checksum.status", "frame.time_relative")) {
            String[] f = line.split("\\|", -1);
            Packet p = new Packet(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]),
                    Integer.decode(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Integer.parseInt(f[7]), f[8], f[9],
                    Math.round(Double.parseDouble(f[10]) * 1e6));
            streams.computeIfAbsent(p.stream(), k -> new ArrayList<>()).add(p);
        }
        return streams;
    }

    /** Frame numbers tshark's sequence analysis marks as any kind of retransmission. */
    static List<Integer> retransmissions(Path pcap) {
        return tshark(pcap, "tcp.analysis.retransmission or tcp.analysis.fast_retransmission"
                + " or tcp.analysis.spurious_retransmission", "frame.number").stream().map(Integer::parseInt).toList();
    }
}
