package dev.tuntcp.trace;

import dev.tuntcp.wire.TcpOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the option list of a {@link SegmentEvent} from options already parsed into fields (the
 * state machine's segment struct keeps values, not the wire order). The result is in the order Linux
 * sends them on a SYN — mss, sackOK, TS, wscale, then SACK blocks — which is not necessarily the
 * order on the wire; the trace shows the options' values, not their padding.
 */
public final class TraceOptions {
    private TraceOptions() {
    }

    /**
     * @param mss the MSS option or -1 when absent
     * @param windowScale the shift or -1 when absent
     * @param sackLeft left edges of {@code sackBlocks} SACK blocks (may be null when 0)
     * @param sackRight right edges
     */
    public static List<TcpOption> of(int mss, boolean sackPermitted, boolean timestamps, int tsVal, int tsEcr,
                                     int windowScale, int[] sackLeft, int[] sackRight, int sackBlocks) {
        List<TcpOption> out = new ArrayList<>(5);
        if (mss >= 0 && mss <= 0xffff) {
            out.add(new TcpOption.Mss(mss));
        }
        if (sackPermitted) {
            out.add(new TcpOption.SackPermitted());
        }
        if (timestamps) {
            out.add(new TcpOption.Timestamps(tsVal, tsEcr));
        }
        if (windowScale >= 0 && windowScale <= 0xff) {
            out.add(new TcpOption.WindowScale(windowScale));
        }
        int n = Math.min(sackBlocks, 4);
        if (n > 0 && sackLeft != null && sackRight != null && sackLeft.length >= n && sackRight.length >= n) {
            List<TcpOption.SackBlock> blocks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                blocks.add(new TcpOption.SackBlock(sackLeft[i], sackRight[i]));
            }
            out.add(new TcpOption.Sack(blocks));
        }
        return out;
    }

    /** The options as tcpdump prints them inside {@code <>}, e.g. {@code mss 1460,sackOK,TS 991 0}. */
    public static String text(List<TcpOption> options) {
        StringBuilder sb = new StringBuilder();
        for (TcpOption o : options) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(o);
            if (o instanceof TcpOption.Eol) {
                break;
            }
        }
        return sb.toString();
    }
}
