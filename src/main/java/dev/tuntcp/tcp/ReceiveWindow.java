package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * The window field of every synchronized segment we send (RFC 9293 §3.8.6.2, RFC 7323 §2.3), with
 * the receiver's side of silly-window-syndrome avoidance (RFC 9293 §3.8.6.2.2, RFC 1122 §4.2.3.3):
 * the right edge RCV.NXT + RCV.WND moves right only by at least min(Fr × RCV.BUFF, Eff.snd.MSS)
 * with Fr = 1/2 at a time, so a reader that takes a few bytes does not invite the sender to send a
 * few bytes; and it never moves left (§3.8.6.2.1 discourages shrinking). The free space of the
 * receive buffer may exceed what was advertised; segments that use it are still accepted.
 */
final class ReceiveWindow {
    private ReceiveWindow() {
    }

    /** The (scaled) window field to send now; records the right edge it advertises. */
    static int advertise(Connection c) {
        int available = c.rcvWnd();
        int previous = SeqNum.gt(c.rcvAdvertisedEdge, c.rcvNxt) ? (int) SeqNum.distance(c.rcvNxt, c.rcvAdvertisedEdge) : 0;
        int unit = 1 << c.rcvWscale;
        int field = Math.min(available >> c.rcvWscale, 65535);
        if (available > previous) {
            // RFC 9293 §3.8.6.2.2: "keep RCV.NXT+RCV.WND fixed until the reduction satisfies
            // RCV.BUFF - RCV.USER - RCV.WND >= min(Fr * RCV.BUFF, Eff.snd.MSS)".
            long buff = c.receiveBuffer.capacity();
            long reduction = buff - c.receiveBuffer.size() - previous;
            if (reduction < Math.min(buff / 2, c.sndMss)) {
                // the old edge, in the scale's units (rounded up unless that passes the free space)
                field = (int) Math.min(field, Math.min((previous + (long) unit - 1) >> c.rcvWscale, 65535));
            }
        }
        int edge = c.rcvNxt + (field << c.rcvWscale);
        // Never move the advertised right edge left (as far as the scale's granularity allows).
        if (SeqNum.lt(edge, c.rcvAdvertisedEdge)) {
            field = (int) Math.min(SeqNum.distance(c.rcvNxt, c.rcvAdvertisedEdge) >> c.rcvWscale, 65535);
            edge = c.rcvNxt + (field << c.rcvWscale);
        }
        c.rcvAdvertisedEdge = edge;
        return field;
    }
}
