package dev.tuntcp.stats;

import dev.tuntcp.app.ServiceCounter;
import dev.tuntcp.ip.Ipv4Drop;
import dev.tuntcp.ip.Ipv4Stat;
import dev.tuntcp.ip.ReassemblyDrop;
import dev.tuntcp.link.LinkCounter;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.tcp.Connection;
import dev.tuntcp.tcp.TcpDrop;
import dev.tuntcp.tcp.TcpStat;
import dev.tuntcp.tcp.TcpState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link StatsSnapshot} from a running stack. Must run on the event-loop thread, which owns
 * the counters and the connection table (the stats server hands it to the loop as a task).
 */
public final class SnapshotTaker {
    /**
     * Enums whose every constant is listed, zero or not, so a user sees every reason that exists:
     * TCP's events and drops, the IP layer's, reassembly's, the link's and the services'.
     */
    static final List<Class<? extends Enum<?>>> ALWAYS_LISTED = List.of(
            TcpStat.class, TcpDrop.class, Ipv4Stat.class, Ipv4Drop.class, ReassemblyDrop.class,
            LinkCounter.class, ServiceCounter.class);

    private SnapshotTaker() {
    }

    /**
     * Every counter: the constants of {@link #ALWAYS_LISTED} first, then whatever else is non-zero
     * (e.g. {@code ParseError} details), as {@code EnumName.CONSTANT -> value}.
     */
    public static Map<String, Long> counters(Counters counters) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Class<? extends Enum<?>> type : ALWAYS_LISTED) {
            for (Enum<?> constant : type.getEnumConstants()) {
                out.put(type.getSimpleName() + "." + constant.name(), counters.get(constant));
            }
        }
        counters.snapshot().forEach(out::putIfAbsent);
        return out;
    }

    /**
     * The gauges: how many connections are in each state (LISTEN and CLOSED are not connections), and
     * RFC 4022 tcpCurrEstab, "the number of TCP connections for which the current state is either
     * ESTABLISHED or CLOSE-WAIT".
     */
    public static Map<String, Long> gauges(List<Connection> connections) {
        long[] perState = new long[TcpState.values().length];
        for (Connection c : connections) {
            perState[c.tcpState().ordinal()]++;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (TcpState s : TcpState.values()) {
            if (s != TcpState.CLOSED && s != TcpState.LISTEN) {
                out.put("TcpState." + s.name(), perState[s.ordinal()]);
            }
        }
        out.put(StatsReport.CURR_ESTAB_GAUGE,
                perState[TcpState.ESTABLISHED.ordinal()] + perState[TcpState.CLOSE_WAIT.ordinal()]);
        return out;
    }

    /** The whole snapshot of one serving host. */
    public static StatsSnapshot take(String tun, String address, long uptimeMillis, Counters counters,
                                     List<Connection> connections) {
        return new StatsSnapshot(tun, address, uptimeMillis, counters(counters), gauges(connections));
    }
}
