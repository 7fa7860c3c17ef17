package dev.tuntcp.trace;

import static dev.tuntcp.trace.TraceScript.A;
import static dev.tuntcp.trace.TraceScript.P;
import static dev.tuntcp.trace.TraceScript.S;
import static dev.tuntcp.trace.TraceScript.X;
import static dev.tuntcp.trace.TraceScript.Y;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainerTest {

    private static List<Fact> facts(List<TraceEvent> events) {
        ConnectionTrace trace = ConnectionTrace.single(events);
        Explanations x = Explainer.explain(trace);
        List<Fact> out = new ArrayList<>();
        for (SegmentEvent s : trace.segments()) {
            assertNotNull(x.get(s), "every segment is explained: " + s);
            out.add(x.get(s).fact());
        }
        return out;
    }

    private static Explanation explanationOf(List<TraceEvent> events, int segmentIndex) {
        ConnectionTrace trace = ConnectionTrace.single(events);
        return Explainer.explain(trace).get(trace.segments().get(segmentIndex));
    }

    @Test
    void handshakeRequestAndFourWayTeardown() {
        assertEquals(List.of(Fact.SYN, Fact.SYN_ACK, Fact.HANDSHAKE_ACK, Fact.DATA, Fact.ACK, Fact.DATA, Fact.ACK,
                Fact.FIN, Fact.ACK_OF_FIN, Fact.FIN_SECOND, Fact.LAST_ACK),
                facts(TraceScript.handshakeRequestTeardown().events()));
    }

    @Test
    void explanationsNameTheNumbersTheyAreAbout() {
        List<TraceEvent> events = TraceScript.handshakeRequestTeardown().events();
        Explanation syn = explanationOf(events, 0);
        assertTrue(syn.text().contains("ISN x=" + Integer.toUnsignedString(X)), syn.text());
        assertTrue(syn.text().contains("consumes one sequence number"), syn.text());
        Explanation synAck = explanationOf(events, 1);
        assertTrue(synAck.text().contains("acks x+1"), synAck.text());
        assertTrue(synAck.text().contains("y=" + Integer.toUnsignedString(Y)), synAck.text());
        assertTrue(synAck.text().contains("each side's ISN must be acknowledged"), synAck.text());
        Explanation ack = explanationOf(events, 2);
        assertTrue(ack.text().contains("only this ACK confirms the server's ISN"), ack.text());
        Explanation fin = explanationOf(events, 7);
        assertTrue(fin.text().contains("consumes one sequence number (seq 79)"), fin.text());
        Explanation finAck = explanationOf(events, 8);
        assertTrue(finAck.text().startsWith("ACK 80 = FIN seq + 1"), finAck.text());
        assertTrue(finAck.text().contains("full duplex"), finAck.text());
        Explanation last = explanationOf(events, 10);
        assertTrue(last.text().contains("TIME-WAIT for 2×MSL"), last.text());
    }

    @Test
    void halfCloseDataAfterTheFin() {
        assertEquals(List.of(Fact.SYN, Fact.SYN_ACK, Fact.HANDSHAKE_ACK, Fact.DATA, Fact.FIN, Fact.ACK_OF_FIN,
                Fact.DATA_AFTER_FIN, Fact.ACK, Fact.DATA_AFTER_FIN, Fact.ACK, Fact.FIN_SECOND, Fact.LAST_ACK),
                facts(TraceScript.halfClose().events()));
    }

    @Test
    void finAndAckCombined() {
        assertEquals(List.of(Fact.SYN, Fact.SYN_ACK, Fact.HANDSHAKE_ACK, Fact.FIN, Fact.FIN_ACK_COMBINED, Fact.LAST_ACK),
                facts(TraceScript.combinedFin().events()));
    }

    @Test
    void synToAClosedPort() {
        List<TraceEvent> events = TraceScript.closedPort().events();
        assertEquals(List.of(Fact.SYN, Fact.RST_CLOSED_PORT), facts(events));
        assertTrue(explanationOf(events, 1).text().contains("port 81"));
    }

    @Test
    void staleSynAckIsRefusedWithRst() {
        assertEquals(List.of(Fact.SYN, Fact.STALE_SYN_ACK, Fact.RST_OLD_DUPLICATE, Fact.SYN_ACK, Fact.HANDSHAKE_ACK),
                facts(TraceScript.staleSynAck().events()));
    }

    @Test
    void lostLastAckAndTimeWaitReAck() {
        List<TraceEvent> events = TraceScript.lostLastAck().events();
        assertEquals(List.of(Fact.SYN, Fact.SYN_ACK, Fact.HANDSHAKE_ACK, Fact.FIN, Fact.ACK_OF_FIN, Fact.FIN_SECOND,
                Fact.LAST_ACK, Fact.FIN_RETRANSMIT, Fact.TIME_WAIT_REACK), facts(events));
        TimerFired timer = (TimerFired) events.stream().filter(e -> e instanceof TimerFired).findFirst().orElseThrow();
        assertEquals(Fact.TIME_WAIT_EXPIRED, Explainer.explain(ConnectionTrace.single(events)).get(timer).fact());
    }

    @Test
    void simultaneousOpenAndClose() {
        assertEquals(List.of(Fact.SYN, Fact.SIMULTANEOUS_OPEN, Fact.SYN_ACK, Fact.SYN_ACK, Fact.FIN,
                Fact.SIMULTANEOUS_CLOSE, Fact.LAST_ACK, Fact.LAST_ACK), facts(TraceScript.simultaneous().events()));
    }

    /** The handshake's final ACK is lost before the stack sees it; the SYN/ACK is retransmitted. */
    @Test
    void lostHandshakeAckThenDataCarriesTheAck() {
        TraceScript script = new TraceScript(TraceState.LISTEN)
                .in(S, X, 0, 0).to(TraceState.SYN_RECEIVED)
                .out(S | A, Y, X + 1, 0);
        SegmentEvent lostAck = SegmentEvent.builder(Direction.IN).nanos(script.nanos).from(script.peer).to(script.local)
                .flags(A).seq(X + 1).ack(Y + 1).window(502).build();
        script.events.add(Drop.lost(lostAck));
        script.timer(TimerFired.RETRANSMIT).out(S | A, Y, X + 1, 0)
                .in(P | A, X + 1, Y + 1, 78).to(TraceState.ESTABLISHED);
        List<TraceEvent> events = script.events();
        Explanations x = Explainer.explain(ConnectionTrace.single(events));
        assertEquals(Fact.HANDSHAKE_ACK, x.get(lostAck).fact());
        assertEquals(List.of(Fact.SYN, Fact.SYN_ACK, Fact.SYN_ACK_RETRANSMIT, Fact.HANDSHAKE_ACK), facts(events));
        Explanation dataAck = explanationOf(events, 3);
        assertTrue(dataAck.text().contains("again") && dataAck.text().contains("78 bytes"), dataAck.text());
    }

    @Test
    void retransmittedSynIsRecognised() {
        TraceScript script = new TraceScript(TraceState.CLOSED).to(TraceState.SYN_SENT).out(S, X, 0, 0)
                .timer(TimerFired.RETRANSMIT).out(S, X, 0, 0)
                .in(S | A, Y, X + 1, 0).to(TraceState.ESTABLISHED).out(A, X + 1, Y + 1, 0);
        assertEquals(List.of(Fact.SYN, Fact.SYN_RETRANSMIT, Fact.SYN_ACK, Fact.HANDSHAKE_ACK), facts(script.events()));
    }

    @Test
    void ackToAListenerGetsRstForNoConnection() {
        TraceScript script = new TraceScript(TraceState.LISTEN).in(A, X, Y, 0).out(TraceScript.R, Y, 0, 0);
        assertEquals(List.of(Fact.ACK, Fact.RST_NO_CONNECTION), facts(script.events()));
    }

    @Test
    void abortIsAnRstOnAnOpenConnection() {
        TraceScript script = TraceScript.combinedFin();
        TraceScript abort = new TraceScript(TraceState.LISTEN)
                .in(S, X, 0, 0).to(TraceState.SYN_RECEIVED).out(S | A, Y, X + 1, 0)
                .in(A, X + 1, Y + 1, 0).to(TraceState.ESTABLISHED)
                .to(TraceState.CLOSED).out(TraceScript.R | A, Y + 1, X + 1, 0);
        assertEquals(List.of(Fact.SYN, Fact.SYN_ACK, Fact.HANDSHAKE_ACK, Fact.RST_ABORT), facts(abort.events()));
        assertTrue(script.events().size() > 0);
    }

    /** The explainer follows the events, not positions: other connections and notes interleaved change nothing. */
    @Test
    void factsDoNotDependOnPositionsInTheTrace() {
        List<TraceEvent> main = TraceScript.handshakeRequestTeardown().events();
        List<TraceEvent> other = TraceScript.closedPort().events();
        List<TraceEvent> mixed = new ArrayList<>();
        mixed.add(new Annotation(0, null, "two connections"));
        for (int i = 0; i < Math.max(main.size(), other.size()); i++) {
            if (i < other.size()) {
                mixed.add(other.get(i));
            }
            if (i < main.size()) {
                mixed.add(main.get(i));
            }
        }
        Explanations x = Explainer.explain(mixed);
        List<Fact> mainFacts = new ArrayList<>();
        for (TraceEvent e : main) {
            if (e instanceof SegmentEvent s) {
                mainFacts.add(x.get(s).fact());
            }
        }
        assertEquals(facts(main), mainFacts);
        assertEquals(Fact.RST_CLOSED_PORT, x.get(other.get(1)).fact());
    }
}
