package dev.tuntcp.tcp.cc;

/**
 * CUBIC (RFC 9438): in congestion avoidance the window follows W_cubic(t) = C·(t − K)³ + W_max, a
 * cubic function of the time since the last congestion event, concave up to the window where the
 * loss happened (W_max) and convex beyond it; a Reno-friendly estimate (§4.3) keeps it at least as
 * fast as Reno on short-RTT paths. A loss multiplies the window by β = 0.7 (§4.6) and remembers W_max,
 * reduced further by fast convergence (§4.7). Slow start is RFC 5681's (HyStart++ is not used).
 *
 * <p>The cubic function works in segments and seconds as the RFC writes it; cwnd stays in bytes.
 */
public final class Cubic implements CongestionControl {
    /** §5.1: C = 0.4. */
    static final double C = 0.4;
    /** §4.6: β_cubic = 0.7. */
    static final double BETA = 0.7;
    /** §4.3: α_cubic = 3 (1 − β) / (1 + β), Reno-friendly until W_est reaches W_max. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

    private int mss = 536;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;

    /** W_max (segments): the window just before the last reduction (§4.6, §4.7). */
    private double wMax;
    /** K (seconds): the time W_cubic takes to climb back to W_max (§4.2, equation 2). */
    private double k;
    /** The start of the current congestion-avoidance epoch, or -1 before it (§4.2). */
    private long epochStartNanos = -1;
    /** W_est (segments): the Reno-friendly window (§4.3). */
    private double wEst;
    /** cwnd in segments with its fraction, so that sub-segment growth per ACK is not lost. */
    private double cwndSegments;
    /** The state before the last reduction, for {@link #undo}. */
    private double undoCwndSegments;
    private int undoSsthresh = Integer.MAX_VALUE;
    private double undoWMax;

    @Override
    public void init(int mss, int initialWindow) {
        this.mss = mss;
        this.cwnd = initialWindow;
        this.cwndSegments = (double) initialWindow / mss;
        this.epochStartNanos = -1;
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public void setCwnd(int bytes) {
        cwnd = Math.max(bytes, mss);
        cwndSegments = (double) cwnd / mss;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onAck(int ackedBytes, boolean cwndLimited, long nowNanos, long srttNanos) {
        if (!cwndLimited || ackedBytes <= 0) {
            return;
        }
        if (cwnd < ssthresh) {
            // Slow start as in RFC 5681 §3.1 (RFC 9438 §4.10).
            setCwnd(NewReno.grow(cwnd, Math.min(ackedBytes, mss)));
            return;
        }
        double segmentsAcked = (double) ackedBytes / mss;
        if (epochStartNanos < 0) {
            // §4.2: the epoch starts with the first ACK of congestion avoidance. K from equation 2,
            // with cwnd_epoch the window at this moment; W_est starts there too (§4.3).
            epochStartNanos = nowNanos;
            if (wMax < cwndSegments) {
                wMax = cwndSegments; // no loss yet (or slow start overshot W_max): the plateau is here
            }
            k = Math.cbrt((wMax - cwndSegments) / C);
            wEst = cwndSegments;
        }
        double t = (nowNanos - epochStartNanos) / 1e9;
        double rtt = srttNanos / 1e9;

        // §4.3: W_est += α_cubic · segments_acked / cwnd; α becomes 1 once W_est reaches W_max.
        double alpha = wEst >= wMax ? 1.0 : ALPHA;
        wEst += alpha * segmentsAcked / cwndSegments;

        double target = wCubic(t + rtt);
        if (wCubic(t) < wEst) {
            // §4.3: the Reno-friendly region.
            cwndSegments = Math.max(cwndSegments, wEst);
        } else {
            // §4.4 / §4.5: concave and convex regions; target clamped to [cwnd, 1.5·cwnd].
            target = Math.max(cwndSegments, Math.min(target, 1.5 * cwndSegments));
            cwndSegments += (target - cwndSegments) / cwndSegments * segmentsAcked;
        }
        double bytes = cwndSegments * mss;
        cwnd = bytes > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE / 2 : (int) bytes;
    }

    /** §4.2 equation 1: W_cubic(t) = C · (t − K)³ + W_max. */
    private double wCubic(double t) {
        double d = t - k;
        return C * d * d * d + wMax;
    }

    @Override
    public void onCongestion(int flightSize, long nowNanos) {
        reduce();
        setCwnd(ssthresh);
    }

    @Override
    public void onTimeout(int flightSize, boolean firstExpiry, long nowNanos) {
        if (firstExpiry) {
            reduce();
        }
        // §4.8: after a timeout, cwnd restarts from the loss window of RFC 5681 and a new epoch begins.
        setCwnd(mss);
        epochStartNanos = -1;
    }

    /** §4.6 and §4.7: remember W_max (reduced by fast convergence), ssthresh = cwnd · β. */
    private void reduce() {
        double prior = cwndSegments;
        // §4.7 fast convergence: a flow whose plateau is falling releases bandwidth to newcomers.
        wMax = prior < wMax ? prior * (1 + BETA) / 2 : prior;
        ssthresh = Math.max((int) (prior * BETA * mss), 2 * mss);
        epochStartNanos = -1;
    }

    @Override
    public void saveForUndo() {
        undoCwndSegments = cwndSegments;
        undoSsthresh = ssthresh;
        undoWMax = wMax;
    }

    /** Linux's cubictcp undo: the window and W_max as they were; a new epoch starts from there. */
    @Override
    public void undo() {
        if (undoCwndSegments > cwndSegments) {
            setCwnd((int) Math.min(undoCwndSegments * mss, Integer.MAX_VALUE / 2));
        }
        ssthresh = Math.max(ssthresh, undoSsthresh);
        wMax = Math.max(wMax, undoWMax);
        epochStartNanos = -1;
    }

    /** W_max in segments, for tests. */
    double wMaxSegments() {
        return wMax;
    }

    @Override
    public String name() {
        return "cubic";
    }
}
