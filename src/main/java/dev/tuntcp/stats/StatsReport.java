package dev.tuntcp.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StatsSnapshot} arranged for people: the RFC 4022 TCP group first (under the MIB's names),
 * then connections by state, TCP events, TCP drops, IPv4, ICMP, IPv4 drops, reassembly drops, the
 * link and the services, each with every row including zeros; counters of any other kind (e.g.
 * {@code ParseError} details) close the report under their full names.
 *
 * <p>Works on the snapshot's names only, so a {@code stats} of one build can read another's.
 */
public final class StatsReport {
    /** The gauge that carries RFC 4022 tcpCurrEstab. */
    static final String CURR_ESTAB_GAUGE = "Tcp.CurrEstab";

    /** TCP's drops that happen before a segment reaches the state machine: "received in error". */
    private static final List<String> INPUT_ERRORS = List.of(
            "TcpDrop.BAD_CHECKSUM", "TcpDrop.MALFORMED", "TcpDrop.ILLEGAL_FLAGS", "TcpDrop.BAD_ADDRESS");

    /** One titled block of rows; {@code id} is its key in the JSON form. */
    public record Group(String id, String title, Map<String, Long> rows) {
    }

    private StatsReport() {
    }

    /** The groups, in the order they are printed. */
    public static List<Group> groups(StatsSnapshot s) {
        Map<String, Map<String, Long>> byEnum = new LinkedHashMap<>();
        Map<String, Long> icmp = new LinkedHashMap<>();
        Map<String, Long> other = new LinkedHashMap<>();
        Map<String, Long> queues = new LinkedHashMap<>();
        s.counters().forEach((key, value) -> {
            int dot = key.indexOf('.');
            String type = dot < 0 ? "" : key.substring(0, dot);
            String name = key.substring(dot + 1);
            boolean icmpRow = (type.equals("Ipv4Stat") || type.equals("Ipv4Drop"))
                    && (name.startsWith("ICMP_") || name.startsWith("ECHO_"));
            if (icmpRow) {
                icmp.put(name, value);
            } else if (type.equals("Queue")) {
                queues.put(name, value);
            } else if (KNOWN.containsKey(type)) {
                byEnum.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(name, value);
            } else {
                other.put(key, value);
            }
        });
        Map<String, Long> states = new LinkedHashMap<>();
        s.gauges().forEach((key, value) -> {
            if (key.startsWith("TcpState.")) {
                states.put(key.substring("TcpState.".length()), value);
            }
        });

        List<Group> out = new ArrayList<>();
        out.add(new Group("tcp", "TCP (RFC 4022 tcp group)", rfc4022(s)));
        out.add(new Group("tcpStates", "TCP connections by state (now)", states));
        for (Map.Entry<String, String[]> e : KNOWN.entrySet()) {
            String[] idAndTitle = e.getValue();
            if (e.getKey().equals("Ipv4Drop")) {
                out.add(new Group("icmp", "ICMP (Ipv4Stat, Ipv4Drop)", icmp));
            }
            out.add(new Group(idAndTitle[0], idAndTitle[1] + " (" + e.getKey() + ")",
                    byEnum.getOrDefault(e.getKey(), Map.of())));
        }
        if (!queues.isEmpty()) {
            out.add(new Group("queues", "Per TUN queue and event loop (serve --queues)", queues));
        }
        if (!other.isEmpty()) {
            out.add(new Group("other", "Other counters", other));
        }
        return out;
    }

    /** Enum name → JSON id and title, in print order. */
    private static final Map<String, String[]> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("TcpStat", new String[] {"tcpEvents", "TCP events"});
        KNOWN.put("TcpDrop", new String[] {"tcpDrops", "TCP drops by reason"});
        KNOWN.put("Ipv4Stat", new String[] {"ipv4", "IPv4"});
        KNOWN.put("Ipv4Drop", new String[] {"ipv4Drops", "IPv4 drops by reason"});
        KNOWN.put("ReassemblyDrop", new String[] {"reassemblyDrops", "IPv4 reassembly drops by reason"});
        KNOWN.put("LinkCounter", new String[] {"link", "TUN link"});
        KNOWN.put("ServiceCounter", new String[] {"services", "Services"});
    }

    /**
     * RFC 4022 §4 (TCP-MIB) under its names. InSegs counts every segment TCP was handed, including
     * those dropped as malformed before the state machine ("including those received in error");
     * OutSegs leaves out retransmissions ("excluding those containing only retransmitted octets").
     */
    static Map<String, Long> rfc4022(StatsSnapshot s) {
        long inErrs = 0;
        for (String key : INPUT_ERRORS) {
            inErrs += s.counter(key);
        }
        long retrans = s.counter("TcpStat.RETRANSMITS");
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("ActiveOpens", s.counter("TcpStat.ACTIVE_OPENS"));
        rows.put("PassiveOpens", s.counter("TcpStat.PASSIVE_OPENS"));
        rows.put("AttemptFails", s.counter("TcpStat.ATTEMPT_FAILS"));
        rows.put("EstabResets", s.counter("TcpStat.ESTAB_RESETS"));
        rows.put("CurrEstab", s.gauge(CURR_ESTAB_GAUGE));
        rows.put("InSegs", s.counter("TcpStat.SEGMENTS_IN") + inErrs);
        rows.put("OutSegs", Math.max(0, s.counter("TcpStat.SEGMENTS_OUT") - retrans));
        rows.put("RetransSegs", retrans);
        rows.put("InErrs", inErrs);
        rows.put("OutRsts", s.counter("TcpStat.RESETS_SENT"));
        return rows;
    }
}
