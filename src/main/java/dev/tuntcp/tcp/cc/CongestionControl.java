package dev.tuntcp.tcp.cc;

/**
 * A congestion-control algorithm: how the congestion window (cwnd, RFC 5681 §2) grows while ACKs
 * arrive and how far it falls on a loss. The loss <em>detection</em> and recovery machinery (duplicate
 * ACKs, fast retransmit, NewReno partial ACKs, the SACK scoreboard, the retransmission timer) is the
 * same for every algorithm and lives in {@code tcp.LossRecovery}; an algorithm only answers "how big
 * may the window be", as Linux's {@code tcp_congestion_ops} and gVisor's {@code congestionControl} do.
 *
 * <p>Windows are in bytes. One instance per connection, used on the event loop only; no method
 * allocates.
 */
public interface CongestionControl {

    /** Sets the initial window (RFC 6928 / RFC 5681 §3.1) once the send MSS is known. */
    void init(int mss, int initialWindow);

    /** cwnd in bytes. */
    int cwnd();

    /** Overrides cwnd: the recovery machinery inflates and deflates it (RFC 6582 §3.2, RFC 6675 §5). */
    void setCwnd(int bytes);

    /** ssthresh in bytes (RFC 5681 §3.1: "arbitrarily high" until the first congestion event). */
    int ssthresh();

    /** cwnd &lt; ssthresh: slow start (RFC 5681 §3.1). */
    default boolean inSlowStart() {
        return cwnd() < ssthresh();
    }

    /**
     * New data was cumulatively acknowledged outside loss recovery: grow the window.
     *
     * @param ackedBytes   octets newly acknowledged by this ACK
     * @param cwndLimited  whether the sender was using the window it had (RFC 7661 §4.1: a window that
     *                     is not used is not validated and must not grow)
     * @param nowNanos     the time of the ACK
     * @param srttNanos    the smoothed RTT, or 0 before the first sample
     */
    void onAck(int ackedBytes, boolean cwndLimited, long nowNanos, long srttNanos);

    /**
     * A loss was detected by duplicate ACKs or SACK (RFC 5681 §3.2 step 2, RFC 6675 §5 step 4.2):
     * sets ssthresh and sets cwnd = ssthresh.
     *
     * @param flightSize octets outstanding when the loss was detected (FlightSize)
     */
    void onCongestion(int flightSize, long nowNanos);

    /**
     * The retransmission timer expired (RFC 5681 §3.1): sets ssthresh (only on the first expiry of a
     * loss episode: "ssthresh is held constant" on later ones) and cwnd to the loss window, one MSS.
     */
    void onTimeout(int flightSize, boolean firstExpiry, long nowNanos);

    /**
     * Remembers the state before a reduction (cwnd, ssthresh and the algorithm's own), called just
     * before {@link #onCongestion} or the first {@link #onTimeout} of a loss episode.
     */
    void saveForUndo();

    /**
     * The reduction was for a loss that did not happen (a spurious retransmission found by D-SACK,
     * RFC 2883 §4, or by timestamps, RFC 3522): restores the saved state, with cwnd no smaller than it
     * is now (RFC 4015 §3: the sender resumes where it was before the false alarm).
     */
    void undo();

    /** The name used on the command line: {@code newreno} or {@code cubic}. */
    String name();
}
