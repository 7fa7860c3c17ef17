package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.wire.SeqNum;
import io.netty.buffer.ByteBuf;

/**
 * An ICMP error about a segment this stack sent (RFC 9293 §3.9.2.2, MUST-54): found by the quoted
 * IPv4 + TCP header, checked against the connection, then acted on.
 *
 * <ul>
 *   <li>Fragmentation needed and DF set (type 3 code 4): path MTU discovery, RFC 1191 — see
 *       {@link #tooBig}.</li>
 *   <li>Protocol or port unreachable (type 3 codes 2, 3) during an active open: the connection
 *       attempt ends as refused, as Linux reports ECONNREFUSED (RFC 9293 SHLD-26; RFC 5461 §4 keeps
 *       these soft once synchronized, as Linux does).</li>
 *   <li>Everything else (net/host unreachable, time exceeded, parameter problem, …) is a soft error
 *       (RFC 1122 §4.2.3.9: it MUST NOT abort the connection): kept for the application
 *       ({@link Connection#softError()}, MUST-47 / SHLD-25).</li>
 * </ul>
 *
 * <p>RFC 5927 §4.1: an ICMP error is believed only if the sequence number it quotes is one we sent and
 * have not seen acknowledged (SND.UNA ≤ seq &lt; SND.MAX) — a blind attacker would have to guess it.
 */
final class IcmpErrorArrival {
    static final int TYPE_DESTINATION_UNREACHABLE = 3;
    static final int CODE_PROTOCOL_UNREACHABLE = 2;
    static final int CODE_PORT_UNREACHABLE = 3;
    static final int CODE_FRAGMENTATION_NEEDED = 4;
    /**
     * The smallest path MTU believed from a Too Big message: Linux's net.ipv4.route.min_pmtu. A smaller
     * claim is clamped to it — RFC 5927 §7.3: a forged tiny MTU would otherwise make every segment a
     * few octets long.
     */
    static final int MIN_PATH_MTU = 552;
    private static final int IPV4_TCP_HEADERS = 40;
    /** RFC 1191 §7: the plateau table, for a Too Big message from a router that does not fill in its MTU. */
    private static final int[] PLATEAUS = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    private IcmpErrorArrival() {
    }

    /**
     * Acts on an ICMP error whose quote (borrowed, valid for the call) holds the datagram we sent: an
     * IPv4 header of at least 20 octets and at least 8 octets of TCP after it (the IP layer checked).
     */
    static void process(TcpLayer layer, int type, int code, int restOfHeader, ByteBuf quote, int offset, int length) {
        layer.count(TcpStat.ICMP_ERRORS_IN);
        int headerLength = (quote.getUnsignedByte(offset) & 0x0f) << 2;
        int quotedTotalLength = quote.getUnsignedShort(offset + 2);
        int source = quote.getInt(offset + 12);
        int destination = quote.getInt(offset + 16);
        int tcp = offset + headerLength;
        int sourcePort = quote.getUnsignedShort(tcp);
        int destinationPort = quote.getUnsignedShort(tcp + 2);
        int seq = quote.getInt(tcp + 4);
        Connection c = layer.find(source, sourcePort, destination, destinationPort);
        if (c == null || c.state == TcpState.LISTEN || c.state == TcpState.TIME_WAIT) {
            layer.drop(c, null, TcpDrop.ICMP_NO_CONNECTION);
            return;
        }
        if (SeqNum.lt(seq, c.sndUna) || SeqNum.ge(seq, c.sndMax)) {
            layer.drop(c, null, TcpDrop.ICMP_OUT_OF_WINDOW); // RFC 5927 §4.1
            return;
        }
        if (type == TYPE_DESTINATION_UNREACHABLE && code == CODE_FRAGMENTATION_NEEDED) {
            tooBig(c, restOfHeader & 0xffff, quotedTotalLength);
            return;
        }
        String error = describe(type, code) + " (ICMP " + type + "/" + code + ")";
        if (type == TYPE_DESTINATION_UNREACHABLE && (code == CODE_PROTOCOL_UNREACHABLE || code == CODE_PORT_UNREACHABLE)
                && c.state == TcpState.SYN_SENT) {
            layer.count(TcpStat.ICMP_HARD_ERROR_ABORTS);
            c.softError = error;
            c.terminate(CloseReason.REFUSED);
            c.events.deliver(c);
            return;
        }
        layer.count(TcpStat.ICMP_SOFT_ERRORS);
        c.softError = error;
    }

    /**
     * RFC 1191 §6.3-6.4: a router dropped a segment of ours as too big for its next hop. The MSS
     * shrinks to what the reported MTU carries (never below {@link #MIN_PATH_MTU}, never up: a larger
     * or equal MTU is stale or forged and ignored) and everything in flight is sent again at the new
     * size at once — the larger segments were all dropped, and waiting for the retransmission timer
     * would stall the connection. A Too Big message is not a sign of congestion (RFC 1191 §6.4), so
     * the congestion window stays. An MTU field of 0 (a router older than RFC 1191) means the next
     * plateau below the datagram's length (§7).
     */
    static void tooBig(Connection c, int reportedMtu, int quotedTotalLength) {
        int mtu = reportedMtu != 0 ? reportedMtu : plateauBelow(quotedTotalLength);
        int optionOverhead = c.timestamps.enabled ? OptionNegotiation.TIMESTAMPS_LENGTH : 0;
        int mss = Math.max(mtu, MIN_PATH_MTU) - IPV4_TCP_HEADERS - optionOverhead;
        if (mss >= c.sndMss) {
            c.layer.drop(c, null, TcpDrop.ICMP_TOO_BIG_IGNORED);
            return;
        }
        c.layer.count(TcpStat.PATH_MTU_REDUCTIONS);
        c.sndMss = Math.max(mss, TcpLayer.MIN_SND_MSS);
        c.pathMtuReduced();
    }

    private static int plateauBelow(int length) {
        for (int plateau : PLATEAUS) {
            if (plateau < length) {
                return plateau;
            }
        }
        return PLATEAUS[PLATEAUS.length - 1];
    }

    /** RFC 792 / RFC 1812 §5.2.7.1 names of the errors an application may be told about. */
    static String describe(int type, int code) {
        return switch (type) {
            case TYPE_DESTINATION_UNREACHABLE -> switch (code) {
                case 0 -> "network unreachable";
                case 1 -> "host unreachable";
                case CODE_PROTOCOL_UNREACHABLE -> "protocol unreachable";
                case CODE_PORT_UNREACHABLE -> "port unreachable";
                case 9, 10, 13 -> "communication administratively prohibited";
                default -> "destination unreachable";
            };
            case 11 -> code == 0 ? "time to live exceeded in transit" : "fragment reassembly time exceeded";
            case 12 -> "parameter problem";
            default -> "ICMP error";
        };
    }
}
