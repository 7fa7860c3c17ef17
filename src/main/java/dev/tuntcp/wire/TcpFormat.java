package dev.tuntcp.wire;

import java.util.List;

/**
 * One-line, tcpdump-style text of a TCP segment for traces (DESIGN §4), e.g.
 * <pre>
 * [S] seq 3571820114 win 64240 &lt;mss 1460,sackOK,TS 991 0,nop,wscale 7&gt;
 * [P.] seq 1:101 ack 1 win 502 &lt;nop,nop,TS 1001 991&gt; length 100
 * </pre>
 * Flags as tcpdump letters ({@link TcpFlags#append}); absolute (not relative) sequence numbers as
 * unsigned decimals; {@code seq A:B} with B = A + payload length when there is payload; {@code ack}
 * only when ACK is set; {@code urg} only when URG is set; options in wire order. Only used when
 * tracing is on, so it may allocate.
 */
public final class TcpFormat {
    private TcpFormat() {
    }

    /** The text of a wrapped segment, e.g. {@code [S.] seq 1 ack 2 win 65535 <mss 1460>}. */
    public static String format(TcpHeader tcp) {
        return append(new StringBuilder(96), tcp).toString();
    }

    /** {@code 10.13.0.1:45678 > 10.13.0.2:80 [S] seq …}. */
    public static String format(Ipv4Header ip, TcpHeader tcp) {
        return append(new StringBuilder(128), ip, tcp).toString();
    }

    public static StringBuilder append(StringBuilder sb, Ipv4Header ip, TcpHeader tcp) {
        Ipv4Address.append(sb, ip.sourceAddress()).append(':').append(tcp.sourcePort()).append(" > ");
        Ipv4Address.append(sb, ip.destinationAddress()).append(':').append(tcp.destinationPort()).append(' ');
        return append(sb, tcp);
    }

    public static StringBuilder append(StringBuilder sb, TcpHeader tcp) {
        appendHead(sb, tcp.flags(), tcp.seq(), tcp.ack(), tcp.window(), tcp.urgentPointer(), tcp.payloadLength());
        if (tcp.optionsLength() > 0) {
            sb.append(" <");
            TcpOptionList.appendText(sb, tcp.buffer(), tcp.optionsOffset(), tcp.optionsLength());
            sb.append('>');
        }
        return appendLength(sb, tcp.payloadLength());
    }

    /** The same text from field values (used by {@link TcpRepr#toString()}). */
    public static StringBuilder append(StringBuilder sb, int flags, int seq, int ack, int window,
                                       int urgentPointer, int payloadLength, List<TcpOption> options) {
        appendHead(sb, flags, seq, ack, window, urgentPointer, payloadLength);
        if (!options.isEmpty()) {
            sb.append(" <");
            for (int i = 0; i < options.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(options.get(i));
                if (options.get(i) instanceof TcpOption.Eol) {
                    break;
                }
            }
            sb.append('>');
        }
        return appendLength(sb, payloadLength);
    }

    private static void appendHead(StringBuilder sb, int flags, int seq, int ack, int window,
                                   int urgentPointer, int payloadLength) {
        sb.append('[');
        TcpFlags.append(sb, flags).append("] seq ").append(Integer.toUnsignedLong(seq));
        if (payloadLength > 0) {
            sb.append(':').append(Integer.toUnsignedLong(seq + payloadLength));
        }
        if ((flags & TcpFlags.ACK) != 0) {
            sb.append(" ack ").append(Integer.toUnsignedLong(ack));
        }
        sb.append(" win ").append(window);
        if ((flags & TcpFlags.URG) != 0) {
            sb.append(" urg ").append(urgentPointer);
        }
    }

    private static StringBuilder appendLength(StringBuilder sb, int payloadLength) {
        return payloadLength > 0 ? sb.append(" length ").append(payloadLength) : sb;
    }
}
