package dev.tuntcp.tcp.cc;

/**
 * NewReno's window arithmetic (RFC 5681 §3.1, RFC 6582): slow start adds up to one MSS per ACK,
 * congestion avoidance one MSS per window of acknowledged bytes (the byte-counting form of RFC 5681
 * §3.1 / RFC 3465), and a loss halves the flight: ssthresh = max(FlightSize / 2, 2·SMSS) (equation 4).
 */
public final class NewReno implements CongestionControl {
    private int mss = 536;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    /** Bytes acknowledged since cwnd last grew in congestion avoidance. */
    private int bytesAcked;
    private int undoCwnd;
    private int undoSsthresh = Integer.MAX_VALUE;

    @Override
    public void init(int mss, int initialWindow) {
        this.mss = mss;
        this.cwnd = initialWindow;
        this.bytesAcked = 0;
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public void setCwnd(int bytes) {
        cwnd = Math.max(bytes, mss);
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
            // RFC 5681 §3.1 (2): cwnd += min (N, SMSS).
            cwnd = grow(cwnd, Math.min(ackedBytes, mss));
            return;
        }
        // Congestion avoidance: one SMSS per cwnd of acknowledged bytes (RFC 5681 §3.1, RFC 3465 §2.1).
        bytesAcked += ackedBytes;
        if (bytesAcked >= cwnd) {
            bytesAcked -= cwnd;
            cwnd = grow(cwnd, mss);
        }
    }

    @Override
    public void onCongestion(int flightSize, long nowNanos) {
        ssthresh = halfFlight(flightSize);
        cwnd = ssthresh;
        bytesAcked = 0;
    }

    @Override
    public void onTimeout(int flightSize, boolean firstExpiry, long nowNanos) {
        if (firstExpiry) {
            ssthresh = halfFlight(flightSize);
        }
        cwnd = mss; // RFC 5681 §3.1: LW = 1 full-sized segment
        bytesAcked = 0;
    }

    @Override
    public void saveForUndo() {
        undoCwnd = cwnd;
        undoSsthresh = ssthresh;
    }

    @Override
    public void undo() {
        cwnd = Math.max(cwnd, undoCwnd);
        ssthresh = Math.max(ssthresh, undoSsthresh);
    }

    @Override
    public String name() {
        return "newreno";
    }

    /** RFC 5681 (4): ssthresh = max (FlightSize / 2, 2*SMSS). */
    private int halfFlight(int flightSize) {
        return Math.max(flightSize / 2, 2 * mss);
    }

    /** Adds without overflowing: the window is bounded by int (2 GiB) long before that matters. */
    static int grow(int window, int by) {
        long sum = (long) window + by;
        return sum > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE / 2 : (int) sum;
    }
}
