package dev.tuntcp.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any event sequence — nonsense flag combinations, random numbers, drops of segments never traced,
 * observations out of the blue — renders without an exception, with aligned lifelines, a well-formed
 * SVG and one Mermaid message and one explanation per segment.
 */
class RendererRobustnessProperties {
    private static final Endpoint PEER = TraceScript.KERNEL;
    private static final Endpoint LOCAL = TraceScript.STACK;
    private static final ConnectionId ID = new ConnectionId(LOCAL, PEER);

    @Provide
    Arbitrary<List<TraceEvent>> traces() {
        Arbitrary<TraceState> states = Arbitraries.of(TraceState.class).injectNull(0.3);
        Arbitrary<Integer> numbers = Arbitraries.oneOf(Arbitraries.integers(),
                Arbitraries.integers().between(-3, 3), Arbitraries.integers().between(-200, -1));
        Arbitrary<SegmentEvent> segments = Combinators.combine(
                Arbitraries.of(Direction.class), Arbitraries.integers().between(0, 0x1ff), numbers, numbers,
                Arbitraries.integers().between(0, 3000), states, states, Arbitraries.strings().withChars("ab \n\t\r|<>&;#:\u001b\u00e9").ofMaxLength(40).injectNull(0.7))
                .as((d, flags, seq, ack, len, before, after, note) -> SegmentEvent.builder(d)
                        .from(d == Direction.IN ? PEER : LOCAL).to(d == Direction.IN ? LOCAL : PEER)
                        .flags(flags).seq(seq).ack(ack).window(len % 65536).windowShift(len % 16 - 1)
                        .payloadLength(len % 7 == 0 ? len : 0).states(before, after).note(note).build());
        Arbitrary<TraceEvent> others = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(Side.class), states, Arbitraries.of(TraceState.class))
                        .as((side, from, to) -> new StateChange(0, ID, side, from, to)),
                Arbitraries.of(TimerFired.RETRANSMIT, TimerFired.TIME_WAIT, "FIN_WAIT_2").map(t -> new TimerFired(0, ID, t)),
                Arbitraries.strings().withChars("xy \n\r|<>&;#:\u001b").ofMaxLength(60).map(t -> new Annotation(0, null, t)),
                Combinators.combine(Arbitraries.of(Drop.LOST, "OUT_OF_WINDOW"), segments.injectNull(0.3))
                        .as((reason, s) -> new Drop(0, ID, reason, s)));
        Arbitrary<TraceEvent> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, segments.map(s -> (TraceEvent) s)), net.jqwik.api.Tuple.of(1, others));
        return any.list().ofMinSize(1).ofMaxSize(25).map(list -> {
            List<TraceEvent> timed = new ArrayList<>();
            timed.add(SegmentEvent.builder(Direction.IN).from(PEER).to(LOCAL).flags(TraceScript.S).build());
            for (int i = 0; i < list.size(); i++) {
                timed.add(list.get(i));
            }
            return timed;
        });
    }

    @Property(tries = 300)
    void everyRendererCopesWithAnySequence(@ForAll("traces") List<TraceEvent> events) throws Exception {
        ConnectionTrace trace = ConnectionTrace.single(events);
        Ladder ladder = LadderBuilder.build(trace, LadderOptions.defaults().options(true).window(true));

        String text = LadderText.render(ladder, LadderOptions.defaults());
        List<String> lines = text.lines().filter(l -> !l.startsWith("*")).toList();
        int left = lines.get(0).indexOf('|');
        int right = lines.get(0).lastIndexOf('|');
        for (String line : lines) {
            assertEquals('|', line.charAt(left), text);
            assertEquals('|', line.charAt(right), text);
        }

        long drawn = ladder.arrows().size();
        long segments = trace.segments().size();
        long untracedDrops = events.stream().filter(e -> e instanceof Drop d && d.segment() != null).count();
        // Every traced segment has its arrow; a drop adds one only for a segment never traced.
        assertEquals(true, drawn >= segments && drawn <= segments + untracedDrops, text);

        LadderSvgTest.parse(LadderSvg.render(ladder, LadderOptions.defaults()));
        long messages = LadderMermaid.render(ladder).lines().filter(l -> l.matches("^ {4}[LR](->>|-->>|-x)[LR]: .*")).count();
        assertEquals(drawn, messages);

        Explanations x = Explainer.explain(trace);
        for (SegmentEvent s : trace.segments()) {
            assertNotNull(x.get(s));
        }
        TraceLine line = new TraceLine();
        LinePrinter printer = new LinePrinter(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        for (TraceEvent e : events) {
            assertNotNull(line.format(e));
            printer.accept(e);
        }
        printer.flush();
    }
}
