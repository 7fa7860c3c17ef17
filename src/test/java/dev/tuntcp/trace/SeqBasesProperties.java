package dev.tuntcp.trace;

import static dev.tuntcp.trace.TraceScript.A;
import static dev.tuntcp.trace.TraceScript.P;
import static dev.tuntcp.trace.TraceScript.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class SeqBasesProperties {

    @Property
    void relativeUndoesAnOffsetFromAnyBase(@ForAll int base, @ForAll @LongRange(min = 0, max = 0xffff_ffffL) long offset) {
        int absolute = SeqBases.absolute(offset, base);
        assertEquals(offset, SeqBases.relative(absolute, base));
    }

    @Property
    void absoluteUndoesRelative(@ForAll int base, @ForAll int absolute) {
        assertEquals(absolute, SeqBases.absolute(SeqBases.relative(absolute, base), base));
    }

    /** Whatever the two ISNs — also just below 2^32 — the first data reads seq 1:1+len and its ACK ack 1+len. */
    @Property(tries = 300)
    void handshakeAndDataReadTheSameFromEveryIsn(@ForAll int x, @ForAll int y,
                                                 @ForAll @IntRange(min = 1, max = 65535) int len) {
        TraceScript script = new TraceScript(TraceState.LISTEN)
                .in(S, x, 0, 0).out(S | A, y, x + 1, 0).in(A, x + 1, y + 1, 0)
                .in(P | A, x + 1, y + 1, len).out(A, y + 1, x + 1 + len, 0);
        List<TraceEvent> events = script.events();
        TraceLine line = new TraceLine(SeqStyle.RELATIVE);
        List<String> lines = events.stream().map(line::format).toList();
        assertTrue(lines.get(0).contains("[S] seq 0 win"), lines.get(0));
        assertTrue(lines.get(1).contains("[S.] seq 0 ack 1 win"), lines.get(1));
        assertTrue(lines.get(2).contains("[.] seq 1 ack 1 win"), lines.get(2));
        assertTrue(lines.get(3).contains("[P.] seq 1:" + (1 + len) + " ack 1 win"), lines.get(3));
        assertTrue(lines.get(4).contains("[.] seq 1 ack " + (1 + len) + " win"), lines.get(4));

        String ladder = LadderText.render(events, LadderOptions.defaults().explain(false));
        assertTrue(ladder.contains("[P.] seq 1:" + (1 + len) + " ack 1 len " + len + " "), ladder);
        assertTrue(ladder.contains("[.] ack " + (1 + len) + " "), ladder);

        String both = new TraceLine(SeqStyle.BOTH).format(events.get(0));
        assertTrue(both.contains("seq 0 (abs " + Integer.toUnsignedString(x) + ")"), both);
    }
}
