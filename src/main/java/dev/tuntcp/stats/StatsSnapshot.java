package dev.tuntcp.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a running {@code serve} reports to {@code tuntcp stats}: which device, for how long, every
 * counter (named {@code EnumName.CONSTANT}, zeros included for the groups {@link SnapshotTaker}
 * always lists) and the gauges read at that moment (connections per state, tcpCurrEstab).
 *
 * <p>It travels over the stats socket as UTF-8 lines ({@link #toWire()}):
 * <pre>
 * tuntcp-stats 1
 * tun tt0
 * address 10.13.0.2
 * uptime-ms 12034
 * counter TcpStat.SEGMENTS_IN 12
 * gauge TcpState.ESTABLISHED 1
 * </pre>
 * Readers ignore kinds of line they do not know, so fields can be added without a new version.
 */
public record StatsSnapshot(String tun, String address, long uptimeMillis, Map<String, Long> counters,
                            Map<String, Long> gauges) {
    /** The first line of every snapshot: the format and its version. */
    public static final String MAGIC = "tuntcp-stats 1";

    public StatsSnapshot {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        gauges = Collections.unmodifiableMap(new LinkedHashMap<>(gauges));
    }

    /** A counter's value, 0 when absent. */
    public long counter(String key) {
        return counters.getOrDefault(key, 0L);
    }

    /** A gauge's value, 0 when absent. */
    public long gauge(String key) {
        return gauges.getOrDefault(key, 0L);
    }

    /** The line form described above. */
    public String toWire() {
        StringBuilder out = new StringBuilder(MAGIC).append('\n');
        out.append("tun ").append(tun).append('\n');
        out.append("address ").append(address).append('\n');
        out.append("uptime-ms ").append(uptimeMillis).append('\n');
        counters.forEach((k, v) -> out.append("counter ").append(k).append(' ').append(v).append('\n'));
        gauges.forEach((k, v) -> out.append("gauge ").append(k).append(' ').append(v).append('\n'));
        return out.toString();
    }

    /** A snapshot, or why the text is not one. */
    public record Parsed(StatsSnapshot snapshot, String error) {
        public boolean ok() {
            return snapshot != null;
        }
    }

    /** Reads {@link #toWire()}'s form; never throws: bad text gives a {@link Parsed} with an error. */
    public static Parsed parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !lines[0].equals(MAGIC)) {
            String first = lines.length == 0 ? "" : lines[0];
            if (first.startsWith("error ")) {
                return new Parsed(null, first.substring("error ".length()));
            }
            return new Parsed(null, "not a tuntcp stats snapshot (first line '" + abbreviate(first) + "')");
        }
        String tun = "?";
        String address = "?";
        long uptime = 0;
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, Long> gauges = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split(" ");
            switch (w[0]) {
                case "tun" -> tun = w.length == 2 ? w[1] : tun;
                case "address" -> address = w.length == 2 ? w[1] : address;
                case "uptime-ms" -> {
                    Long v = w.length == 2 ? number(w[1]) : null;
                    if (v == null) {
                        return new Parsed(null, "bad line " + (i + 1) + ": '" + abbreviate(line) + "'");
                    }
                    uptime = v;
                }
                case "counter", "gauge" -> {
                    Long v = w.length == 3 ? number(w[2]) : null;
                    if (v == null) {
                        return new Parsed(null, "bad line " + (i + 1) + ": '" + abbreviate(line) + "'");
                    }
                    (w[0].equals("counter") ? counters : gauges).put(w[1], v);
                }
                default -> {
                    // a later version's field: ignored
                }
            }
        }
        return new Parsed(new StatsSnapshot(tun, address, uptime, counters, gauges), null);
    }

    private static Long number(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
