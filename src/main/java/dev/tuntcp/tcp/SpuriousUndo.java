package dev.tuntcp.tcp;

import dev.tuntcp.tcp.cc.CongestionControl;
import dev.tuntcp.wire.SeqNum;

/**
 * Undoes a congestion-window reduction that was made for a loss that did not happen.
 *
 * <ul>
 * <li><b>D-SACK</b> (RFC 2883 §4, RFC 3708): every segment retransmitted in a loss episode is counted;
 *     each D-SACK for octets at or above where the episode began says one of them reached a receiver
 *     that already had it. When every retransmission of the episode has been reported so, none was
 *     needed: reordering or a delayed ACK fooled the sender, and the reduction is undone (Linux's
 *     {@code tcp_try_undo_dsack}).</li>
 * <li><b>Eifel</b> (RFC 3522 §2, timestamps): after a retransmission timeout, the first ACK of new data
 *     echoes a TSecr older than the TSval of the retransmission: it answers the original, so the
 *     timeout was spurious. The response is RFC 4015's: the state before the timeout comes back and
 *     the sender carries on with new data instead of going back over what was in flight.</li>
 * </ul>
 *
 * <p>Owned by {@link LossRecovery}; allocates nothing.
 */
final class SpuriousUndo {
    private final CongestionControl cc;
    /** An episode whose reduction may still be undone. */
    private boolean armed;
    /** SND.UNA when the episode began (Linux's undo_marker): D-SACKs below it are about earlier data. */
    private int marker;
    /** Retransmissions in the episode not yet reported by a D-SACK (Linux's undo_retrans). */
    private int retransmissions;
    /** The TSval of the first retransmission after a timeout, for Eifel; valid while {@link #eifelArmed}. */
    private boolean eifelArmed;
    private int retransmitTsVal;

    SpuriousUndo(CongestionControl cc) {
        this.cc = cc;
    }

    /** A loss episode begins (fast recovery or the first timeout): the state before it is saved. */
    void episodeBegins(int sndUna) {
        cc.saveForUndo();
        armed = true;
        marker = sndUna;
        retransmissions = 0;
        eifelArmed = false;
    }

    /** After a timeout, with timestamps in use: the TSval the retransmission carries (RFC 3522 §2). */
    void timeoutRetransmission(int tsVal) {
        eifelArmed = armed;
        retransmitTsVal = tsVal;
    }

    /** A segment was retransmitted. */
    void retransmitted() {
        if (armed) {
            retransmissions++;
        }
    }

    /**
     * A D-SACK block [{@code left}, {@code right}) arrived. Returns true when it was the last
     * retransmission of the episode still unreported: the reduction has been undone.
     */
    boolean onDsack(int left, int right, int mss) {
        if (!armed || SeqNum.lt(left, marker) || retransmissions <= 0) {
            return false;
        }
        long segments = (SeqNum.distance(left, right) + mss - 1) / mss;
        retransmissions -= (int) Math.min(segments, retransmissions);
        if (retransmissions > 0) {
            return false;
        }
        cc.undo();
        armed = false;
        return true;
    }

    /**
     * RFC 3522 §2: the first ACK of new data after a timeout. Returns true when its TSecr is older than
     * the retransmission's TSval (it answers the original): the reduction has been undone.
     */
    boolean firstAckAfterTimeout(Segment ack) {
        if (!eifelArmed) {
            return false;
        }
        eifelArmed = false;
        if (!ack.hasTimestamps || ack.tsEcr == 0 || ack.tsEcr - retransmitTsVal >= 0) {
            return false;
        }
        cc.undo();
        armed = false;
        return true;
    }
}
