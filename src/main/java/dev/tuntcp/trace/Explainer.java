package dev.tuntcp.trace;

import dev.tuntcp.wire.SeqNum;
import java.util.List;

/**
 * Explains, one short line per segment, why it was sent and what it proves — the facts of TCP's
 * opening and closing that DESIGN §6 sets out. It reads the connection's events in order and keeps
 * what a student would track on paper (who sent the first SYN, each side's ISN and FIN, which FIN has
 * been acknowledged), so it recognises the handshake, the teardown, half-close, simultaneous open and
 * close, retransmissions, TIME-WAIT's re-ACK and the RST cases from the events themselves, wherever
 * they sit in the trace. A {@link Drop} naming a segment is taken into account: a lost or refused ACK
 * acknowledges nothing.
 *
 * <p>The client is the side that sent the first SYN without ACK; in the texts "x" is its ISN and
 * "y" the server's.
 */
public final class Explainer {
    private final ConnectionTrace trace;
    private final Side client;
    private final SeqBases bases = new SeqBases();
    private final Peer[] sides = {new Peer(), new Peer()};
    private final Explanations out = new Explanations();
    private boolean finsCrossed;

    private Explainer(ConnectionTrace trace) {
        this.trace = trace;
        this.client = trace.client();
    }

    /**
     * Explains every segment (and the TIME-WAIT and retransmission timers) of one connection. A
     * segment known only from a {@link Drop} (lost before the tracer saw it) is explained under the
     * drop's {@link Drop#segment()} object.
     */
    public static Explanations explain(ConnectionTrace trace) {
        Explainer e = new Explainer(trace);
        e.run();
        return e.out;
    }

    /** Explains the events of every connection in {@code events}; the keys are those event objects. */
    public static Explanations explain(List<? extends TraceEvent> events) {
        Explanations all = new Explanations();
        for (ConnectionTrace t : ConnectionTrace.split(events)) {
            Explanations one = explain(t);
            for (TraceEvent e : t.events()) {
                Explanation x = one.get(e);
                if (x != null) {
                    all.put(e, x);
                }
            }
        }
        return all;
    }

    /** What the explainer remembers about one side. */
    private static final class Peer {
        Integer iss;
        boolean issAcked;
        Integer fin;
        boolean finAcked;
        SegmentEvent last;
        Fact lastFact;
        boolean sentAny;
        /** This side has sent an ACK of the other side's FIN (delivered or not). */
        boolean sentFinAck;
    }

    private void run() {
        List<TraceEvent> events = trace.events();
        DropMatching drops = new DropMatching(events);
        for (TraceEvent e : events) {
            if (e instanceof SegmentEvent s) {
                explainAndRemember(s, !drops.undelivered(s));
            } else if (e instanceof Drop d && d.segment() != null && !drops.matched.contains(d)) {
                explainAndRemember(d.segment(), false); // a segment lost before the tracer saw it
            } else if (e instanceof TimerFired t) {
                if (t.is(TimerFired.TIME_WAIT)) {
                    out.put(e, new Explanation(Fact.TIME_WAIT_EXPIRED,
                            "2×MSL passed: TIME-WAIT ends and the connection is deleted"));
                } else if (t.is(TimerFired.RETRANSMIT)) {
                    out.put(e, new Explanation(Fact.RETRANSMIT_TIMEOUT,
                            "retransmission timeout: nothing was acknowledged in time, so the oldest segment goes again"));
                }
            }
        }
    }

    private void explainAndRemember(SegmentEvent s, boolean delivered) {
        bases.learn(s);
        Explanation x = explainSegment(s);
        out.put(s, x);
        remember(s, x.fact(), delivered);
    }

    private void remember(SegmentEvent s, Fact fact, boolean delivered) {
        Peer a = sides[s.sender().ordinal()];
        Peer b = sides[s.sender().other().ordinal()];
        a.sentAny = true;
        a.last = s;
        a.lastFact = fact;
        if (s.isSyn()) {
            a.iss = s.seq();
        }
        if (s.isFin() && a.fin == null) {
            a.fin = s.seq() + s.payloadLength();
        }
        if (s.isAck() && !s.isRst() && b.fin != null && SeqNum.ge(s.ack(), b.fin + 1)) {
            a.sentFinAck = true;
        }
        if (delivered && s.isAck() && !s.isRst()) {
            if (b.iss != null && fact != Fact.STALE_SYN_ACK && SeqNum.ge(s.ack(), b.iss + 1)) {
                b.issAcked = true;
            }
            if (b.fin != null && SeqNum.ge(s.ack(), b.fin + 1)) {
                b.finAcked = true;
            }
        }
    }

    private Explanation explainSegment(SegmentEvent s) {
        Side sender = s.sender();
        Peer a = sides[sender.ordinal()];
        Peer b = sides[sender.other().ordinal()];
        if (s.isRst()) {
            return explainRst(s, a, b);
        }
        if (s.isSyn()) {
            return s.isAck() ? explainSynAck(s, a, b) : explainSyn(s, a, b);
        }
        boolean acksHandshake = s.isAck() && b.iss != null && s.ack() == b.iss + 1
                && (!b.issAcked || b.lastFact == Fact.SYN_ACK_RETRANSMIT) && b.fin == null;
        if (s.isFin()) {
            return explainFin(s, a, b);
        }
        if (acksHandshake) {
            String data = s.payloadLength() > 0 ? "; it carries the first " + s.payloadLength() + " bytes of data too" : "";
            if (b.lastFact == Fact.SYN_ACK_RETRANSMIT) {
                return x(Fact.HANDSHAKE_ACK, "ACK y+1 again, answering the retransmitted SYN/ACK: now the "
                        + role(sender.other()) + "'s ISN is confirmed" + data);
            }
            return x(Fact.HANDSHAKE_ACK, "ACK y+1: only this ACK confirms the " + role(sender.other()) + "'s ISN, so the "
                    + role(sender.other()) + " knows the " + role(sender) + " is live and its SYN was not an old duplicate" + data);
        }
        if (s.payloadLength() > 0) {
            String range = range(s);
            if (b.fin != null) {
                return x(Fact.DATA_AFTER_FIN, s.payloadLength() + " bytes after the " + role(sender.other())
                        + "'s FIN: half-close — a FIN closes one direction only; the " + role(sender) + " still sends" + range);
            }
            return x(Fact.DATA, s.payloadLength() + " bytes of the " + role(sender) + "'s data" + range
                    + "; seq advances by the length");
        }
        if (s.isAck() && b.fin != null && SeqNum.ge(s.ack(), b.fin + 1)) {
            if (b.lastFact == Fact.FIN_RETRANSMIT && a.sentFinAck) {
                return x(Fact.TIME_WAIT_REACK, "ACK of the retransmitted FIN: the first ACK was lost; this re-ACK is"
                        + " why TIME-WAIT lingers 2×MSL instead of closing at once");
            }
            if (b.finAcked) {
                if (b.lastFact == Fact.FIN_RETRANSMIT) {
                    return x(Fact.TIME_WAIT_REACK, "ACK of the retransmitted FIN: the first ACK was lost; this re-ACK is"
                            + " why TIME-WAIT lingers 2×MSL instead of closing at once");
                }
                return x(Fact.OTHER, "ACK again (duplicate or window update): nothing new to acknowledge");
            }
            if (a.fin != null) {
                if (!finsCrossed) {
                    return x(Fact.LAST_ACK, "last ACK (ack = FIN seq + 1): both directions are closed; the " + role(sender)
                            + " now waits in TIME-WAIT for 2×MSL to re-ACK the FIN should this ACK be lost");
                }
                return x(Fact.LAST_ACK, "ACK of the crossing FIN (ack = FIN seq + 1): simultaneous close, both sides go"
                        + " CLOSING → TIME-WAIT");
            }
            return x(Fact.ACK_OF_FIN, "ACK " + relAck(s) + " = FIN seq + 1: the FIN is acknowledged; the "
                    + role(sender) + "'s direction stays open (full duplex) — that is why teardown takes four segments");
        }
        if (s.isAck()) {
            if (a.last != null && a.last.isAck() && a.last.ack() == s.ack() && a.last.payloadLength() == 0
                    && !a.last.isSyn() && !a.last.isFin()) {
                return x(Fact.OTHER, "ACK " + relAck(s) + " again (window update or duplicate ACK)");
            }
            return x(Fact.ACK, "ACK " + relAck(s) + ": the " + role(sender.other())
                    + "'s data arrived up to here (the next byte expected)");
        }
        return x(Fact.OTHER, "segment without ACK, SYN, FIN or RST");
    }

    private Explanation explainSyn(SegmentEvent s, Peer a, Peer b) {
        if (a.iss != null && a.iss == s.seq()) {
            return x(Fact.SYN_RETRANSMIT, "SYN again, same ISN: no SYN/ACK came back before the retransmission timer fired");
        }
        if (b.iss != null && b.last != null && b.last.isSyn() && !b.last.isAck() && a.iss == null) {
            return x(Fact.SIMULTANEOUS_OPEN, "SYN crossing the other SYN (simultaneous open): both picked an ISN, and each"
                    + " must still be acknowledged by the other side");
        }
        return x(Fact.SYN, "SYN: the " + role(s.sender()) + " picks its ISN x=" + Integer.toUnsignedString(s.seq())
                + "; the SYN consumes one sequence number, so data starts at x+1");
    }

    private Explanation explainSynAck(SegmentEvent s, Peer a, Peer b) {
        if (b.iss == null || s.ack() != b.iss + 1) {
            String what = b.iss == null
                    ? "acknowledges a SYN the " + role(s.sender().other()) + " never sent"
                    : "acks " + Integer.toUnsignedString(s.ack()) + ", not x+1=" + Integer.toUnsignedString(b.iss + 1);
            return x(Fact.STALE_SYN_ACK, "SYN/ACK that " + what + ": an old duplicate, not an answer to this connection");
        }
        if (a.iss != null && a.iss == s.seq() && a.last != null && a.last.isSyn() && a.last.isAck()) {
            return x(Fact.SYN_ACK_RETRANSMIT, "SYN/ACK again: the " + role(s.sender().other())
                    + "'s final ACK has not arrived, so y is still unconfirmed");
        }
        if (a.iss != null && a.iss == s.seq()) {
            return x(Fact.SYN_ACK, "SYN/ACK: acks the other side's ISN (its SYN + 1) and repeats this side's SYN y;"
                    + " simultaneous open needs both ISNs acknowledged");
        }
        return x(Fact.SYN_ACK, "SYN/ACK: the " + role(s.sender()) + " acks x+1 and sends its own ISN y="
                + Integer.toUnsignedString(s.seq()) + " — the SYN comes back because each side's ISN must be acknowledged");
    }

    private Explanation explainFin(SegmentEvent s, Peer a, Peer b) {
        Side sender = s.sender();
        int finSeq = s.seq() + s.payloadLength();
        if (a.fin != null && a.fin == finSeq) {
            return x(Fact.FIN_RETRANSMIT, "FIN again (same seq): its ACK did not arrive in time");
        }
        String with = s.payloadLength() > 0 ? " with its last " + s.payloadLength() + " bytes" : "";
        String consumes = "; the FIN consumes one sequence number (seq " + relSeqAt(s, finSeq) + ")";
        if (b.fin != null) {
            if (s.isAck() && SeqNum.ge(s.ack(), b.fin + 1)) {
                if (b.finAcked) {
                    return x(Fact.FIN_SECOND, "FIN" + with + ": the " + role(sender) + " closes its direction too"
                            + consumes + "; its ACK of the first FIN went separately, as it had more to do before closing");
                }
                return x(Fact.FIN_ACK_COMBINED, "FIN+ACK in one segment" + with + ": acks the " + role(sender.other())
                        + "'s FIN (ack = FIN seq + 1) and closes this direction too — nothing was left to send");
            }
            finsCrossed = true;
            return x(Fact.SIMULTANEOUS_CLOSE, "FIN crossing the other FIN (simultaneous close): neither has seen the"
                    + " other's, so both go FIN-WAIT-1 → CLOSING");
        }
        return x(Fact.FIN, "FIN" + with + ": the " + role(sender) + " has nothing more to send and closes its direction"
                + " (half-close)" + consumes);
    }

    private Explanation explainRst(SegmentEvent s, Peer a, Peer b) {
        Side sender = s.sender();
        SegmentEvent answered = b.last;
        if (answered != null && answered.isSyn() && !answered.isAck() && a.iss == null) {
            return x(Fact.RST_CLOSED_PORT, "RST: nothing listens on port " + s.source().port()
                    + " — ack = SYN seq + 1 (RFC 9293 §3.10.7.1), so the connect fails at once, no timeout");
        }
        if (answered != null && answered.isSyn() && answered.isAck()) {
            return x(Fact.RST_OLD_DUPLICATE, "RST (seq = the SYN/ACK's ack): the " + role(sender) + " refuses a handshake it"
                    + " does not recognise — the third step lets it say no; with two, an old duplicate SYN would open a connection");
        }
        if (!a.sentAny) {
            return x(Fact.RST_NO_CONNECTION, "RST: the segment belongs to no connection here (RFC 9293 §3.10.7.1),"
                    + " seq taken from its ack");
        }
        return x(Fact.RST_ABORT, "RST: the " + role(sender) + " aborts — the connection ends at once, unsent and unread data"
                + " are discarded and nothing is acknowledged");
    }

    private String role(Side side) {
        if (client == null) {
            return side == Side.STACK ? "stack" : "peer";
        }
        return side == client ? "client" : "server";
    }

    private String range(SegmentEvent s) {
        long rel = bases.relativeSeq(s);
        return rel < 0 ? "" : " (bytes " + rel + ".." + ((rel + s.payloadLength() - 1) & 0xffff_ffffL) + ")";
    }

    private String relAck(SegmentEvent s) {
        long rel = bases.relativeAck(s);
        return rel < 0 ? Integer.toUnsignedString(s.ack()) : Long.toString(rel);
    }

    private String relSeqAt(SegmentEvent s, int absolute) {
        java.util.OptionalInt base = bases.base(s.connection(), s.direction());
        return base.isPresent() ? Long.toString(SeqBases.relative(absolute, base.getAsInt()))
                : Integer.toUnsignedString(absolute);
    }

    private static Explanation x(Fact fact, String text) {
        return new Explanation(fact, text);
    }
}
