package dev.tuntcp.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.trace.Ladder.Row;
import dev.tuntcp.trace.Ladder.StateCell;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LadderTextTest {

    static Stream<Arguments> canonical() {
        return Stream.of(
                Arguments.of("handshake-request-teardown", TraceScript.handshakeRequestTeardown()),
                Arguments.of("half-close", TraceScript.halfClose()),
                Arguments.of("combined-fin", TraceScript.combinedFin()),
                Arguments.of("closed-port", TraceScript.closedPort()),
                Arguments.of("stale-syn-ack", TraceScript.staleSynAck()),
                Arguments.of("lost-last-ack", TraceScript.lostLastAck()),
                Arguments.of("simultaneous", TraceScript.simultaneous()),
                Arguments.of("observed-by-the-lab", TraceScript.observedByTheLab()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canonical")
    void goldenText(String name, TraceScript script) {
        Golden.assertMatches(name + ".txt", LadderText.render(script.events(), LadderOptions.defaults()));
    }

    /** Every row puts the two lifelines in the header's columns, whatever the options. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("canonical")
    void lifelinesAreAligned(String name, TraceScript script) {
        for (LadderOptions options : List.of(LadderOptions.defaults(), LadderOptions.defaults().explain(false).time(false),
                LadderOptions.defaults().numbers(SeqStyle.ABSOLUTE).window(true).options(true),
                LadderOptions.defaults().numbers(SeqStyle.BOTH).orientation(LadderOptions.Orientation.STACK_LEFT),
                LadderOptions.defaults().color(true))) {
            String text = stripAnsi(LadderText.render(script.events(), options));
            List<String> lines = text.lines().filter(l -> !l.startsWith("*")).toList();
            String header = lines.get(0);
            int left = header.indexOf('|');
            int right = header.lastIndexOf('|');
            assertTrue(left > 0 && right > left + 20, header);
            long arrows = 0;
            for (String line : lines) {
                assertEquals('|', line.charAt(left), "left lifeline in\n" + text);
                assertEquals('|', line.charAt(right), "right lifeline in\n" + text);
                String between = line.substring(left + 1, right);
                assertFalse(between.contains("|"), line);
                if (between.contains("[")) {
                    arrows++;
                }
            }
            assertEquals(script.events().stream().filter(e -> e instanceof SegmentEvent).count(), arrows,
                    "one arrow line per segment in\n" + text);
        }
    }

    @Test
    void statesOfBothSides() {
        Ladder ladder = LadderBuilder.build(ConnectionTrace.single(TraceScript.handshakeRequestTeardown().events()),
                LadderOptions.defaults());
        assertEquals(Side.PEER, ladder.leftSide());
        List<String> peer = new ArrayList<>();
        List<String> stack = new ArrayList<>();
        for (Row r : ladder.rows()) {
            cell(peer, r.left());
            cell(stack, r.right());
        }
        assertEquals(List.of("CLOSED*", "SYN-SENT*", "ESTABLISHED*", "FIN-WAIT-1*", "FIN-WAIT-2*", "TIME-WAIT*"), peer);
        assertEquals(List.of("LISTEN", "SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"), stack);
    }

    @Test
    void inferredStatesWhenTheStackReportsNone() {
        List<TraceEvent> bare = new ArrayList<>();
        for (TraceEvent e : TraceScript.halfClose().events()) {
            if (e instanceof SegmentEvent s) {
                bare.add(s.withStates(null, null));
            }
        }
        Ladder ladder = LadderBuilder.build(ConnectionTrace.single(bare), LadderOptions.defaults());
        List<String> stack = new ArrayList<>();
        for (Row r : ladder.rows()) {
            cell(stack, r.right());
        }
        assertEquals(List.of("LISTEN*", "SYN-RECEIVED*", "ESTABLISHED*", "CLOSE-WAIT*", "LAST-ACK*", "CLOSED*"), stack);
    }

    @Test
    void observedPeerStateIsShownAsGiven() {
        TraceScript script = TraceScript.halfClose();
        // Right after the stack's ACK of the kernel's FIN, as a scenario would read it from ss -tan.
        script.events.add(9, StateChange.peerObserved(850_000, script.id(), TraceState.FIN_WAIT_2));
        Ladder ladder = LadderBuilder.build(ConnectionTrace.single(script.events()), LadderOptions.defaults());
        List<String> peer = new ArrayList<>();
        for (Row r : ladder.rows()) {
            cell(peer, r.left());
        }
        // The observation confirms the inferred FIN-WAIT-2: the same cell loses its mark, no extra row.
        assertEquals(List.of("CLOSED*", "SYN-SENT*", "ESTABLISHED*", "FIN-WAIT-1*", "FIN-WAIT-2", "TIME-WAIT*"), peer);
        assertTrue(LadderText.render(script.events(), LadderOptions.defaults()).contains("FIN-WAIT-2 |"));
    }

    @Test
    void theLabsObservationsAreShownUnmarkedOnTheirSegments() {
        Ladder ladder = LadderBuilder.build(ConnectionTrace.single(TraceScript.observedByTheLab().events()),
                LadderOptions.defaults());
        List<String> peer = new ArrayList<>();
        for (Row r : ladder.rows()) {
            cell(peer, r.left());
        }
        // FIN-WAIT-1 was seen before the data arrived, which the data does not explain: its own row.
        assertEquals(List.of("CLOSED", "SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"), peer);
        assertFalse(ladder.anyInferred());
        Row finWait1 = ladder.rows().stream().filter(r -> r.left() != null && r.left().text().equals("FIN-WAIT-1"))
                .findFirst().orElseThrow();
        assertEquals(null, finWait1.arrow());
    }

    @Test
    void observedPeerStateThatDiffersIsShownOnTheSegmentItExplains() {
        TraceScript script = TraceScript.halfClose();
        // The kernel read in CLOSE-WAIT right after our segment at index 9 — shown on that segment's row.
        script.events.add(9, StateChange.peerObserved(850_000, script.id(), TraceState.CLOSE_WAIT));
        Ladder ladder = LadderBuilder.build(ConnectionTrace.single(script.events()), LadderOptions.defaults());
        int arrows = ladder.arrows().size();
        assertEquals(ConnectionTrace.single(script.events()).segments().size(), arrows);
        boolean shown = ladder.rows().stream().anyMatch(r -> r.arrow() != null && r.left() != null
                && r.left().text().equals("CLOSE-WAIT"));
        assertTrue(shown, LadderText.render(ladder, LadderOptions.defaults()));
    }

    @Test
    void coloursOnlyWrapTheText() {
        List<TraceEvent> events = TraceScript.handshakeRequestTeardown().events();
        String plain = LadderText.render(events, LadderOptions.defaults());
        String coloured = LadderText.render(events, LadderOptions.defaults().color(true));
        assertFalse(plain.contains("\u001b"));
        assertEquals(plain, stripAnsi(coloured));
        String synLine = coloured.lines().filter(l -> l.contains("[S]")).findFirst().orElseThrow();
        assertTrue(synLine.contains(SegmentKind.SYN.ansi()), synLine);
        String finLine = coloured.lines().filter(l -> l.contains("[F.]")).findFirst().orElseThrow();
        assertTrue(finLine.contains(SegmentKind.FIN.ansi()), finLine);
        String rstLine = LadderText.render(TraceScript.closedPort().events(), LadderOptions.defaults().color(true))
                .lines().filter(l -> l.contains("[R.]")).findFirst().orElseThrow();
        assertTrue(rstLine.contains(SegmentKind.RST.ansi()), rstLine);
    }

    @Test
    void lostSegmentStopsShort() {
        String text = LadderText.render(TraceScript.lostLastAck().events(), LadderOptions.defaults().explain(false));
        String lost = text.lines().filter(l -> l.contains("X")).findFirst().orElseThrow();
        assertTrue(lost.matches(".*\\| +X-+ \\[\\.\\] ack 2 -+\\|.*"), lost);
        assertTrue(lost.contains("LOST"), lost);
    }

    @Test
    void absoluteNumbersOnRequest() {
        String text = LadderText.render(TraceScript.handshakeRequestTeardown().events(),
                LadderOptions.defaults().numbers(SeqStyle.ABSOLUTE).explain(false));
        assertTrue(text.contains("[S] seq 3571820114 "), text);
        assertTrue(text.contains("[P.] seq 4294967169:73 ack 3571820193 len 200"), text);
    }

    @Test
    void stackOnTheLeftAndCustomNames() {
        String text = LadderText.render(TraceScript.closedPort().events(), LadderOptions.defaults()
                .orientation(LadderOptions.Orientation.STACK_LEFT).stackName("tuntcp").peerName("kernel (nc)"));
        String header = text.lines().findFirst().orElseThrow();
        assertTrue(header.strip().startsWith("tuntcp |") && header.endsWith("| kernel (nc)"), header);
        assertTrue(text.contains("|<-"), "the peer's SYN now travels right to left:\n" + text);
    }

    private static void cell(List<String> into, StateCell cell) {
        if (cell != null) {
            into.add(cell.text());
        }
    }

    static String stripAnsi(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
