package dev.tuntcp.stats;

import java.util.List;
import java.util.Map;

/** The two forms {@code tuntcp stats} prints: aligned text for people, JSON for scripts. */
public final class StatsFormat {
    private StatsFormat() {
    }

    /**
     * <pre>
     * tuntcp stats: tt0 (10.13.0.2), up 12.0 s
     *
     * TCP (RFC 4022 tcp group)
     *   ActiveOpens                        0
     *   …
     * </pre>
     */
    public static String text(StatsSnapshot s) {
        StringBuilder out = new StringBuilder();
        out.append("tuntcp stats: ").append(s.tun()).append(" (").append(s.address()).append("), up ")
                .append(String.format("%.1f s", s.uptimeMillis() / 1000.0)).append('\n');
        for (StatsReport.Group g : StatsReport.groups(s)) {
            out.append('\n').append(g.title()).append('\n');
            if (g.rows().isEmpty()) {
                out.append("  (none)\n");
            }
            int width = 28;
            for (String name : g.rows().keySet()) {
                width = Math.max(width, name.length());
            }
            for (Map.Entry<String, Long> row : g.rows().entrySet()) {
                out.append("  ").append(row.getKey()).append(" ".repeat(width - row.getKey().length()))
                        .append(String.format(" %12d", row.getValue())).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * One JSON object: {@code tun}, {@code address}, {@code uptimeMillis}, then one object per group
     * keyed by its id ({@code tcp}, {@code tcpStates}, {@code tcpEvents}, {@code tcpDrops}, {@code ipv4},
     * {@code icmp}, {@code ipv4Drops}, {@code reassemblyDrops}, {@code link}, {@code services},
     * {@code other}), e.g. {@code jq .tcp.PassiveOpens}.
     */
    public static String json(StatsSnapshot s) {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"tun\": ").append(quote(s.tun())).append(",\n");
        out.append("  \"address\": ").append(quote(s.address())).append(",\n");
        out.append("  \"uptimeMillis\": ").append(s.uptimeMillis());
        List<StatsReport.Group> groups = StatsReport.groups(s);
        for (StatsReport.Group g : groups) {
            out.append(",\n  ").append(quote(g.id())).append(": {");
            String sep = "\n";
            for (Map.Entry<String, Long> row : g.rows().entrySet()) {
                out.append(sep).append("    ").append(quote(row.getKey())).append(": ").append(row.getValue());
                sep = ",\n";
            }
            out.append(g.rows().isEmpty() ? "}" : "\n  }");
        }
        return out.append("\n}\n").toString();
    }

    /** A JSON string (RFC 8259 §7), see {@link JsonText}. */
    static String quote(String s) {
        return JsonText.appendQuoted(s, new StringBuilder(s.length() + 2)).toString();
    }
}
