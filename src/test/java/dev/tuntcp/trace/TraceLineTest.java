package dev.tuntcp.trace;

import static dev.tuntcp.trace.TraceScript.A;
import static dev.tuntcp.trace.TraceScript.KERNEL;
import static dev.tuntcp.trace.TraceScript.LINUX_SYN;
import static dev.tuntcp.trace.TraceScript.P;
import static dev.tuntcp.trace.TraceScript.S;
import static dev.tuntcp.trace.TraceScript.STACK;
import static dev.tuntcp.trace.TraceScript.X;
import static dev.tuntcp.trace.TraceScript.Y;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceLineTest {
    private static final ConnectionId ID = new ConnectionId(STACK, KERNEL);

    private static SegmentEvent.Builder in() {
        return SegmentEvent.builder(Direction.IN).from(KERNEL).to(STACK);
    }

    private static SegmentEvent.Builder out() {
        return SegmentEvent.builder(Direction.OUT).from(STACK).to(KERNEL);
    }

    @Test
    void theDesignExampleLine() {
        SegmentEvent syn = in().nanos(412_000).flags(S).seq(X).window(64240).options(LINUX_SYN)
                .states(TraceState.LISTEN, TraceState.SYN_RECEIVED).build();
        assertEquals("0.000412 ← 10.13.0.1:45678 > 10.13.0.2:80 [S] seq 0 (abs 3571820114) win 64240"
                + " <mss 1460,sackOK,TS 991 0,nop,wscale 7>  LISTEN → SYN-RECEIVED", new TraceLine().format(syn));
    }

    @Test
    void relativeNumbersFollowEachDirectionsIsnAcrossTheWrap() {
        TraceLine line = new TraceLine();
        line.format(in().flags(S).seq(X).window(64240).build());
        assertEquals("0.000100 → 10.13.0.2:80 > 10.13.0.1:45678 [S.] seq 0 (abs 4294967168) ack 1 (abs 3571820115)"
                + " win 65535", line.format(out().nanos(100_000).flags(S | A).seq(Y).ack(X + 1).window(65535).build()));
        // 200 bytes from y+1 = 4294967169 end past 2^32, at 73.
        assertEquals("0.001000 → 10.13.0.2:80 > 10.13.0.1:45678 [P.] seq 1:201 (abs 4294967169) ack 79 (abs 3571820193)"
                + " win 502 (scaled 64256) length 200", line.format(out().nanos(1_000_000).flags(P | A).seq(Y + 1)
                .ack(X + 79).window(502).windowShift(7).payloadLength(200).build()));
        assertEquals("0.001200 ← 10.13.0.1:45678 > 10.13.0.2:80 [.] seq 79 (abs 3571820193) ack 201 (abs 73) win 502",
                line.format(in().nanos(1_200_000).flags(A).seq(X + 79).ack(Y + 201).window(502).build()));
    }

    @Test
    void relativeAndAbsoluteStyles() {
        SegmentEvent syn = in().flags(S).seq(X).window(1).build();
        SegmentEvent data = in().flags(P | A).seq(X + 1).ack(5).window(1).payloadLength(10).build();
        TraceLine relative = new TraceLine(SeqStyle.RELATIVE);
        relative.format(syn);
        assertTrue(relative.format(data).contains("[P.] seq 1:11 ack 5 win 1 length 10"), relative.format(data));
        TraceLine absolute = new TraceLine(SeqStyle.ABSOLUTE);
        absolute.format(syn);
        assertTrue(absolute.format(data).contains("[P.] seq 3571820115:3571820125 ack 5 win 1"), absolute.format(data));
    }

    @Test
    void stateIsPrintedOnlyWhenItChanged() {
        SegmentEvent same = in().flags(A).seq(1).ack(1).window(1)
                .states(TraceState.ESTABLISHED, TraceState.ESTABLISHED).build();
        assertTrue(!new TraceLine().format(same).contains("→ ESTABLISHED"), new TraceLine().format(same));
        SegmentEvent note = same.withNote("GET / HTTP/1.1");
        assertTrue(new TraceLine().format(note).endsWith("win 1  # GET / HTTP/1.1"), new TraceLine().format(note));
    }

    @Test
    void otherEvents() {
        TraceLine line = new TraceLine();
        assertEquals("0.000500 · 10.13.0.2:80 ⇄ 10.13.0.1:45678 ESTABLISHED → FIN-WAIT-1",
                line.format(StateChange.stack(500_000, ID, TraceState.ESTABLISHED, TraceState.FIN_WAIT_1)));
        assertEquals("1.250000 · 10.13.0.2:80 ⇄ 10.13.0.1:45678 peer FIN-WAIT-2 (observed)",
                line.format(StateChange.peerObserved(1_250_000_000L, ID, TraceState.FIN_WAIT_2)));
        assertEquals("0.200000 · 10.13.0.2:80 ⇄ 10.13.0.1:45678 timer RETRANSMIT fired",
                line.format(new TimerFired(200_000_000, ID, "RETRANSMIT")));
        SegmentEvent stray = in().flags(A).seq(5).ack(9).window(1).build();
        assertEquals("0.000000 ✗ 10.13.0.2:80 ⇄ 10.13.0.1:45678 dropped OUT_OF_WINDOW: [.] seq 0 (abs 5) ack 9",
                line.format(new Drop(0, null, "OUT_OF_WINDOW", stray)));
        assertEquals("3.000001 # kernel state read with ss -tan", line.format(new Annotation(3_000_001_000L, null,
                "kernel state read with ss -tan")));
    }

    @Test
    void printerFoldsStateChangesAndWaitsForFlush() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LinePrinter printer = new LinePrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        TraceScript script = new TraceScript(TraceState.LISTEN).in(S, X, 0, 0).to(TraceState.SYN_RECEIVED);
        script.events().forEach(printer::accept);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "the arriving segment waits for its state changes");
        printer.flush();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("LISTEN → SYN-RECEIVED" + System.lineSeparator()), text);
        assertEquals(1, text.lines().count());
    }

    @Test
    void printerPrintsOneLinePerSegmentOfACanonicalTrace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LinePrinter printer = new LinePrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<TraceEvent> events = TraceScript.handshakeRequestTeardown().events();
        events.forEach(printer::accept);
        printer.flush();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        long segments = events.stream().filter(e -> e instanceof SegmentEvent).count();
        assertEquals(segments, lines.size(), "every state change folded into a segment line");
        assertTrue(lines.get(9).contains("[F.]") && lines.get(9).endsWith("CLOSE-WAIT → LAST-ACK"), lines.get(9));
        assertTrue(lines.get(10).endsWith("LAST-ACK → CLOSED"), lines.get(10));
    }
}
