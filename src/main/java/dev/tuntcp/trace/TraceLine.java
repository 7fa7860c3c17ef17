package dev.tuntcp.trace;

import dev.tuntcp.wire.TcpFlags;

/**
 * The one-line {@code --trace} format (DESIGN §4). A segment reads
 * <pre>
 * 0.000412 ← 10.13.0.1:45678 > 10.13.0.2:80 [S] seq 0 (abs 3571820114) win 64240 &lt;mss 1460,sackOK,TS 991 0,nop,wscale 7&gt;  LISTEN → SYN-RECEIVED
 * 0.000431 → 10.13.0.2:80 > 10.13.0.1:45678 [S.] seq 0 (abs 2000000000) ack 1 (abs 3571820115) win 65535 &lt;mss 1460&gt;
 * 0.001207 ← 10.13.0.1:45678 > 10.13.0.2:80 [P.] seq 1:79 (abs 3571820115) ack 1 (abs 2000000001) win 502 (scaled 64256) length 78
 * </pre>
 * <ul>
 *   <li>seconds since the start of the trace, six decimals;</li>
 *   <li>{@code ←} for a segment that arrived, {@code →} for one the stack sent;</li>
 *   <li>source {@code >} destination, then the flags in tcpdump letters ({@code S} SYN, {@code F}
 *       FIN, {@code R} RST, {@code P} PSH, {@code .} ACK);</li>
 *   <li>{@code seq A[:B]}: SEG.SEQ and, when data is carried, the sequence number after it. With
 *       {@link SeqStyle#BOTH} (the default) the number is relative to the sender's ISN (the SYN is
 *       0, the first data byte 1) and the absolute wire value follows as {@code (abs N)};
 *       {@code ack} likewise, relative to the other direction's ISN; {@code ack} only with ACK
 *       set;</li>
 *   <li>{@code win W} as on the wire, then {@code (scaled S)} when the window-scale shift is known and
 *       not 0 (never on a SYN, RFC 7323 §2.2);</li>
 *   <li>the options in {@code <>}, {@code length N} for data;</li>
 *   <li>two spaces and {@code BEFORE → AFTER} when the segment changed the stack's state;</li>
 *   <li>two spaces and {@code # note} when the event has a note.</li>
 * </ul>
 * Other events: {@code 0.000500 · 10.13.0.2:80 ⇄ 10.13.0.1:45678 ESTABLISHED → FIN-WAIT-1},
 * {@code … peer FIN-WAIT-2 (observed)}, {@code … timer RETRANSMIT fired},
 * {@code 0.000500 ✗ … dropped OUT_OF_WINDOW: [.] seq 5 ack 1}, {@code 0.000500 # text}.
 *
 * <p>Stateful (it learns each connection's ISNs as segments pass) and not thread-safe: one formatter
 * per output stream, fed events in trace order.
 */
public final class TraceLine {
    private final SeqStyle style;
    private final SeqBases bases = new SeqBases();

    public TraceLine(SeqStyle style) {
        this.style = java.util.Objects.requireNonNull(style, "style");
    }

    /** Relative numbers with the absolute ones in parentheses. */
    public TraceLine() {
        this(SeqStyle.BOTH);
    }

    /** The line for {@code event} (no trailing newline). */
    public String format(TraceEvent event) {
        StringBuilder sb = new StringBuilder(160);
        appendTime(sb, event.nanos()).append(' ');
        if (event instanceof SegmentEvent s) {
            appendSegment(sb, s);
        } else if (event instanceof StateChange sc) {
            sb.append("· ").append(sc.connection()).append(' ');
            if (sc.side() == Side.PEER) {
                sb.append("peer ");
            }
            if (sc.from() != null) {
                sb.append(sc.from().label()).append(" → ");
            }
            sb.append(sc.to().label());
            if (sc.side() == Side.PEER) {
                sb.append(" (observed)");
            }
        } else if (event instanceof TimerFired t) {
            sb.append("· ").append(t.connection()).append(" timer ").append(OneLine.of(t.timer())).append(" fired");
        } else if (event instanceof Drop d) {
            sb.append("✗ ");
            if (d.connection() != null) {
                sb.append(d.connection()).append(' ');
            }
            sb.append(d.isLost() ? "lost" : "dropped " + OneLine.of(d.reason()));
            if (d.segment() != null) {
                sb.append(": ");
                appendNumbers(sb, d.segment(), false);
            }
        } else if (event instanceof Annotation a) {
            sb.append("# ").append(OneLine.of(a.text()));
        }
        return sb.toString();
    }

    private void appendSegment(StringBuilder sb, SegmentEvent s) {
        bases.learn(s);
        sb.append(s.direction().arrow()).append(' ').append(s.source()).append(" > ").append(s.destination()).append(' ');
        appendNumbers(sb, s, true);
        sb.append(" win ").append(s.window());
        long scaled = s.scaledWindow();
        if (!s.isSyn() && s.windowShift() > 0 && scaled >= 0) {
            sb.append(" (scaled ").append(scaled).append(')');
        }
        if (!s.options().isEmpty()) {
            sb.append(" <").append(TraceOptions.text(s.options())).append('>');
        }
        if (s.payloadLength() > 0) {
            sb.append(" length ").append(s.payloadLength());
        }
        if (s.changedState()) {
            sb.append("  ").append(s.stateBefore().label()).append(" → ").append(s.stateAfter().label());
        }
        if (s.note() != null && !s.note().isEmpty()) {
            sb.append("  # ").append(OneLine.of(s.note()));
        }
    }

    /** {@code [P.] seq 1:101 (abs …) ack 1 (abs …)} in this formatter's style. */
    private void appendNumbers(StringBuilder sb, SegmentEvent s, boolean learned) {
        if (!learned) {
            bases.learn(s);
        }
        sb.append('[');
        TcpFlags.append(sb, s.flags()).append("] seq ");
        long relSeq = bases.relativeSeq(s);
        appendNumber(sb, s.seq(), relSeq, s.payloadLength());
        if (s.isAck()) {
            sb.append(" ack ");
            appendNumber(sb, s.ack(), bases.relativeAck(s), 0);
        }
    }

    private void appendNumber(StringBuilder sb, int absolute, long relative, int length) {
        if (style == SeqStyle.ABSOLUTE || relative < 0) {
            appendRange(sb, Integer.toUnsignedLong(absolute), Integer.toUnsignedLong(absolute + length), length);
            return;
        }
        appendRange(sb, relative, (relative + length) & 0xffff_ffffL, length);
        if (style == SeqStyle.BOTH) {
            sb.append(" (abs ").append(Integer.toUnsignedLong(absolute)).append(')');
        }
    }

    private static void appendRange(StringBuilder sb, long from, long to, int length) {
        sb.append(from);
        if (length > 0) {
            sb.append(':').append(to);
        }
    }

    /** Seconds with six decimals, e.g. {@code 0.000412}. */
    static StringBuilder appendTime(StringBuilder sb, long nanos) {
        if (nanos < 0) {
            sb.append('-');
            nanos = -nanos;
        }
        long micros = nanos / 1_000;
        long seconds = micros / 1_000_000;
        long fraction = micros % 1_000_000;
        sb.append(seconds).append('.');
        String f = Long.toString(fraction);
        for (int i = f.length(); i < 6; i++) {
            sb.append('0');
        }
        return sb.append(f);
    }
}
