package dev.tuntcp.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LadderMermaidTest {
    private static final Pattern MESSAGE = Pattern.compile("^ {4}([LR])(->>|-->>|-x)([LR]): (.+)$");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tuntcp.trace.LadderTextTest#canonical")
    void oneMessagePerSegment(String name, TraceScript script) {
        ConnectionTrace trace = ConnectionTrace.single(script.events());
        String mermaid = LadderMermaid.render(trace, LadderOptions.defaults());
        List<String> lines = mermaid.lines().toList();
        assertEquals("sequenceDiagram", lines.get(0));
        assertTrue(lines.get(1).startsWith("    participant L as peer 10.13.0.1#58;45678"), lines.get(1));
        assertTrue(lines.get(2).startsWith("    participant R as tuntcp 10.13.0.2#58;"), lines.get(2));
        List<String> messages = lines.stream().filter(l -> MESSAGE.matcher(l).matches()).toList();
        List<SegmentEvent> segments = trace.segments();
        assertEquals(segments.size(), messages.size(), mermaid);
        for (int i = 0; i < segments.size(); i++) {
            var m = MESSAGE.matcher(messages.get(i));
            assertTrue(m.matches());
            SegmentEvent s = segments.get(i);
            assertEquals(s.sender() == Side.PEER ? "L" : "R", m.group(1), messages.get(i));
            assertTrue(m.group(4).startsWith("[" + dev.tuntcp.wire.TcpFlags.toString(s.flags()) + "]"), messages.get(i));
        }
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(l.startsWith("    "), "indented statement: " + l);
            assertFalse(l.contains(";") && !l.contains("#59;") && !l.contains("#58;"), "raw ; ends a statement: " + l);
        }
    }

    @Test
    void lostSegmentsCrossAndAcksAreDotted() {
        String mermaid = LadderMermaid.render(ConnectionTrace.single(TraceScript.lostLastAck().events()),
                LadderOptions.defaults().explain(false));
        assertTrue(mermaid.contains("    R-xL: [.] ack 2 (lost)\n"), mermaid);
        assertTrue(mermaid.contains("    L-->>R: [.] ack 2\n"), mermaid);
        assertTrue(mermaid.contains("    R->>L: [S] seq 0\n"), mermaid);
        assertTrue(mermaid.contains("    Note over R: TIME-WAIT\n"), mermaid);
    }

    @Test
    void syntaxCharactersAreEntityCoded() {
        assertEquals("a #lt;mss 1460#gt; b#59; c #35;1", LadderMermaid.escape("a <mss 1460> b; c #1", false));
        assertEquals("10.0.0.1#58;80", LadderMermaid.escape("10.0.0.1:80", true));
        assertEquals("x: y", LadderMermaid.escape("x: y", false));
    }
}
