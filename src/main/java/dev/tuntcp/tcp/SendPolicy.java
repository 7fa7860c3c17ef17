package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * When new data may go out: the sender's silly-window-syndrome avoidance of RFC 9293 §3.8.6.2.1 with
 * Nagle's algorithm as its second rule (RFC 9293 §3.7.4, RFC 1122 §4.2.3.4). Every write counts as
 * pushed (the socket API has no separate PUSH), so a segment goes now when
 * <ol>
 *   <li>it is a full segment (Eff.snd.MSS octets), or</li>
 *   <li>it carries all the queued data and, with Nagle on, no earlier small segment is
 *       unacknowledged — or the application turned Nagle off (TCP_NODELAY), or has closed (the FIN
 *       is queued: nothing more will come to fill the segment, as Linux's {@code tcp_send_fin} also
 *       pushes), or</li>
 *   <li>it is at least half the largest window the peer has offered (Fs = 1/2).</li>
 * </ol>
 * Otherwise it waits for an acknowledgment to clock it out; when nothing is in flight to bring one,
 * the {@link PersistTimer} is the "override timeout" of rule 4 and sends it anyway.
 */
/*
 * Nagle's condition is Minshall's refinement (draft-minshall-nagle, as Linux's tcp_minshall_check):
 * a short segment waits while an earlier SHORT segment is unacknowledged, not while any data is. At
 * most one small segment is in flight per round trip, which is what Nagle's rule is for, but the
 * short tail of a large write is not held back behind its own full-sized segments (with a peer that
 * delays ACKs that would cost up to its delayed-ACK time on every response).
 */
final class SendPolicy {
    private SendPolicy() {
    }

    /**
     * Whether a segment of {@code length} octets (already within the usable window and the MSS) may
     * be sent now; {@code unsent} is all the data queued from SND.NXT on. Decided on the length the
     * window and the queue allow, not on what one contiguous stretch of the send ring holds, so a
     * segment cut short where the ring wraps is never mistaken for a small one.
     */
    static boolean sendNow(Connection c, int length, int unsent) {
        if (length >= c.sndMss) {
            return true; // rule 1: a maximum-sized segment
        }
        if (SeqNum.lt(c.sndNxt, c.sndMax)) {
            return true; // sending again what went out before (after a timeout): its size was decided then
        }
        if (length == unsent && (c.noDelay || c.finQueued || !smallSegmentInFlight(c))) {
            return true; // rule 2, with Nagle's condition in brackets
        }
        return c.maxSndWnd > 0 && length >= c.maxSndWnd / 2; // rule 3
    }

    /** Nagle's condition: a segment shorter than the MSS has been sent and is not yet acknowledged. */
    static boolean smallSegmentInFlight(Connection c) {
        return SeqNum.gt(c.sndSmallEnd, c.sndUna) && SeqNum.le(c.sndSmallEnd, c.sndMax);
    }

    /** Notes a data segment just sent, ending at SND.NXT: a short one is what Nagle waits on. */
    static void sent(Connection c, int length) {
        if (length > 0 && length < c.sndMss) {
            c.sndSmallEnd = c.sndNxt;
        }
    }
}
