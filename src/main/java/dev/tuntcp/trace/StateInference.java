package dev.tuntcp.trace;

import dev.tuntcp.wire.SeqNum;
import java.util.List;

/**
 * The textbook state of each side, inferred from the segments alone (RFC 9293 §3.3.2, Figure 5),
 * for a side whose real state nobody reported — usually the kernel peer. Transitions are applied to
 * the sender when a segment is sent and to the receiver when it arrives (not when it was lost):
 * a SYN moves CLOSED to SYN-SENT and LISTEN to SYN-RECEIVED, an acceptable SYN/ACK moves SYN-SENT to
 * ESTABLISHED, an ACK of our FIN moves FIN-WAIT-1 to FIN-WAIT-2, and so on. States start as guessed
 * by {@link #guessInitial}; null means unknown, from which only an RST leads anywhere.
 */
final class StateInference {
    private final TraceState[] state = new TraceState[2];
    private final Integer[] iss = new Integer[2];
    private final Integer[] finSeq = new Integer[2];
    private final Integer[] finReceived = new Integer[2];
    private final boolean[] passive = new boolean[2];
    private final boolean[] opensActively = new boolean[2];

    StateInference(TraceState stackInitial, TraceState peerInitial, List<SegmentEvent> segments) {
        state[Side.STACK.ordinal()] = stackInitial;
        state[Side.PEER.ordinal()] = peerInitial;
        for (Side side : Side.values()) {
            SegmentEvent first = firstSentBy(segments, side);
            opensActively[side.ordinal()] = first != null && first.isSyn() && !first.isAck();
        }
    }

    /**
     * The states both sides most likely started in, by looking at how the connection begins: the
     * first SYN's sender starts CLOSED and its receiver LISTEN — or CLOSED when it answers with RST
     * (a closed port); a trace that starts mid-connection starts ESTABLISHED. Index by
     * {@link Side#ordinal()}; an entry is null when nothing sensible can be guessed.
     */
    static TraceState[] guessInitial(List<SegmentEvent> segments) {
        TraceState[] guess = new TraceState[2];
        if (segments.isEmpty()) {
            return guess;
        }
        SegmentEvent first = segments.get(0);
        Side a = first.sender();
        Side b = a.other();
        SegmentEvent reply = firstSentBy(segments, b);
        boolean refused = reply != null && reply.isRst();
        boolean crossing = reply != null && reply.isSyn() && !reply.isAck();
        if (first.isSyn() && !first.isAck()) {
            guess[a.ordinal()] = TraceState.CLOSED;
            guess[b.ordinal()] = refused || crossing ? TraceState.CLOSED : TraceState.LISTEN;
        } else if (first.isSyn() || first.isRst()) {
            guess[b.ordinal()] = refused ? TraceState.CLOSED : null;
        } else if (!refused && first.isAck()) {
            guess[a.ordinal()] = TraceState.ESTABLISHED;
            guess[b.ordinal()] = TraceState.ESTABLISHED;
        }
        return guess;
    }

    private static SegmentEvent firstSentBy(List<SegmentEvent> segments, Side side) {
        for (SegmentEvent s : segments) {
            if (s.sender() == side) {
                return s;
            }
        }
        return null;
    }

    /** The state {@code side} would be in after {@code s}, without applying it. */
    TraceState after(SegmentEvent s, boolean delivered, Side side) {
        StateInference copy = new StateInference(this);
        copy.onSegment(s, delivered);
        return copy.state(side);
    }

    private StateInference(StateInference o) {
        System.arraycopy(o.state, 0, state, 0, 2);
        System.arraycopy(o.iss, 0, iss, 0, 2);
        System.arraycopy(o.finSeq, 0, finSeq, 0, 2);
        System.arraycopy(o.finReceived, 0, finReceived, 0, 2);
        System.arraycopy(o.passive, 0, passive, 0, 2);
        System.arraycopy(o.opensActively, 0, opensActively, 0, 2);
    }

    TraceState state(Side side) {
        return state[side.ordinal()];
    }

    /** A reported or observed state replaces the inferred one. */
    void set(Side side, TraceState newState) {
        state[side.ordinal()] = newState;
    }

    /** Applies {@code s} to its sender and, when {@code delivered}, to its receiver. */
    void onSegment(SegmentEvent s, boolean delivered) {
        sent(s.sender().ordinal(), s);
        if (delivered) {
            received(s.sender().other().ordinal(), s);
        }
    }

    private void sent(int a, SegmentEvent s) {
        TraceState st = state[a];
        if (s.isRst()) {
            // RFC 9293 §3.10.7.3: an RST answering an unacceptable SYN/ACK leaves SYN-SENT alone, as
            // one answering a stray segment leaves LISTEN or CLOSED; from the other states it aborts.
            if (st != null && st != TraceState.LISTEN && st != TraceState.SYN_SENT) {
                state[a] = TraceState.CLOSED;
            }
            return;
        }
        if (s.isSyn()) {
            iss[a] = s.seq();
            if (st == null || st == TraceState.CLOSED || st == TraceState.LISTEN) {
                state[a] = s.isAck() ? TraceState.SYN_RECEIVED : TraceState.SYN_SENT;
            }
        }
        if (s.isFin()) {
            finSeq[a] = s.seq() + s.payloadLength();
            st = state[a];
            if (st == TraceState.ESTABLISHED || st == TraceState.SYN_RECEIVED) {
                state[a] = TraceState.FIN_WAIT_1;
            } else if (st == TraceState.CLOSE_WAIT && finReceived[a] != null && s.isAck()
                    && SeqNum.lt(s.ack(), finReceived[a] + 1)) {
                // This FIN does not acknowledge the FIN we counted as received, so it left before
                // that FIN arrived: the FINs crossed (simultaneous close, RFC 9293 §3.6 Figure 13).
                state[a] = TraceState.CLOSING;
            } else if (st == TraceState.CLOSE_WAIT) {
                state[a] = TraceState.LAST_ACK;
            }
        }
    }

    private void received(int b, SegmentEvent s) {
        TraceState st = state[b];
        if (s.isRst()) {
            receivedRst(b, s, st);
            return;
        }
        if (s.isSyn()) {
            if (!s.isAck()) {
                if (st == TraceState.LISTEN) {
                    passive[b] = true;
                    state[b] = TraceState.SYN_RECEIVED;
                } else if (st == TraceState.SYN_SENT || st == TraceState.CLOSED && opensActively[b] && iss[b] == null) {
                    // Simultaneous open (RFC 9293 §3.5 Figure 8). Seen from the stack, the other SYN may
                    // be traced later than ours although it left before ours arrived: the SYNs crossed.
                    state[b] = TraceState.SYN_RECEIVED;
                }
            } else if ((st == TraceState.SYN_SENT || st == TraceState.SYN_RECEIVED) && acksExactly(iss[b], s)) {
                state[b] = TraceState.ESTABLISHED;
            }
            return;
        }
        if (s.isAck()) {
            if (st == TraceState.SYN_RECEIVED && acks(iss[b], s)) {
                state[b] = TraceState.ESTABLISHED;
            } else if (finSeq[b] != null && acks(finSeq[b], s)) {
                if (st == TraceState.FIN_WAIT_1) {
                    state[b] = TraceState.FIN_WAIT_2;
                } else if (st == TraceState.CLOSING) {
                    state[b] = TraceState.TIME_WAIT;
                } else if (st == TraceState.LAST_ACK) {
                    state[b] = TraceState.CLOSED;
                }
            }
        }
        if (s.isFin()) {
            int fin = s.seq() + s.payloadLength();
            if (finReceived[b] != null && finReceived[b] == fin) {
                return; // a retransmitted FIN changes nothing (TIME-WAIT re-ACKs it)
            }
            finReceived[b] = fin;
            st = state[b];
            if (st == TraceState.ESTABLISHED || st == TraceState.SYN_RECEIVED) {
                state[b] = TraceState.CLOSE_WAIT;
            } else if (st == TraceState.FIN_WAIT_1) {
                state[b] = TraceState.CLOSING;
            } else if (st == TraceState.FIN_WAIT_2) {
                state[b] = TraceState.TIME_WAIT;
            }
        }
    }

    private void receivedRst(int b, SegmentEvent s, TraceState st) {
        if (st == TraceState.SYN_SENT) {
            // RFC 9293 §3.10.7.3: in SYN-SENT an RST counts only if it acknowledges our SYN.
            if (acksExactly(iss[b], s)) {
                state[b] = TraceState.CLOSED;
            }
        } else if (st == TraceState.SYN_RECEIVED) {
            state[b] = passive[b] ? TraceState.LISTEN : TraceState.CLOSED; // RFC 9293 §3.10.7.4
        } else if (st != TraceState.LISTEN) {
            state[b] = TraceState.CLOSED;
        }
    }

    /** True when {@code s} acknowledges the sequence number {@code sent} (unknown counts as yes). */
    private static boolean acks(Integer sent, SegmentEvent s) {
        return sent == null || s.isAck() && SeqNum.ge(s.ack(), sent + 1);
    }

    /**
     * In SYN-SENT only SEG.ACK = ISS + 1 is acceptable (RFC 9293 §3.10.7.3: SND.UNA < SEG.ACK =<
     * SND.NXT, and nothing but the SYN has been sent); anything else is a stale segment.
     */
    private static boolean acksExactly(Integer sentSyn, SegmentEvent s) {
        return sentSyn == null || s.isAck() && s.ack() == sentSyn + 1;
    }
}
