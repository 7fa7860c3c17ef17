/**
 * The trace: a stream of events from the stack and the renderers that show it (DESIGN §2, §4, §6).
 *
 * <h2>Feeding it</h2>
 * Producers build immutable {@link dev.tuntcp.trace.TraceEvent}s and hand them to a
 * {@link dev.tuntcp.trace.TraceSink}:
 * <ul>
 *   <li>{@link dev.tuntcp.trace.SegmentEvent} — {@code SegmentEvent.builder(Direction.IN).nanos(t)
 *       .from(src).to(dst).flags(f).seq(s).ack(a).window(w).windowShift(shift).options(list)
 *       .payloadLength(n).states(before, after).note(text).build()}; addresses as
 *       {@link dev.tuntcp.trace.Endpoint}, options as {@code wire.TcpOption}s
 *       ({@link dev.tuntcp.trace.TraceOptions#of} builds them from parsed fields);</li>
 *   <li>{@link dev.tuntcp.trace.StateChange#stack} for the state machine's transitions,
 *       {@link dev.tuntcp.trace.StateChange#peerObserved} for the kernel's state read from
 *       {@code ss -tan};</li>
 *   <li>{@link dev.tuntcp.trace.TimerFired}, {@link dev.tuntcp.trace.Drop} (reason = the drop enum's
 *       name, or {@link dev.tuntcp.trace.Drop#lost} for a segment lost in transit) and
 *       {@link dev.tuntcp.trace.Annotation}.</li>
 * </ul>
 * The TCP layer's listener reports an arriving segment, then the transitions it caused, then the
 * segments sent in reply; map each call one to one (segmentIn → IN with {@code stateBefore} = the
 * state it found, segmentOut → OUT with {@code stateBefore} = the state it was sent in,
 * stateChanged → {@code StateChange.stack}). {@link dev.tuntcp.trace.StateFolding} then joins each
 * transition to its segment. The TCP layer's state enum maps by name with
 * {@link dev.tuntcp.trace.TraceState#fromName}.
 *
 * <h2>Sinks</h2>
 * {@link dev.tuntcp.trace.LinePrinter} prints {@code --trace} lines ({@link dev.tuntcp.trace.TraceLine});
 * call its {@code flush()} after every event-loop iteration. {@link dev.tuntcp.trace.CollectingSink}
 * keeps events for rendering later and is safe to read from another thread (with {@code await} to
 * wait for an event). {@link dev.tuntcp.trace.TraceSink#tee} feeds several,
 * {@link dev.tuntcp.trace.TraceSink#safely} keeps a failing sink away from the event loop.
 *
 * <h2>Rendering</h2>
 * Split a recorded trace with {@link dev.tuntcp.trace.ConnectionTrace#split} (or take
 * {@link dev.tuntcp.trace.ConnectionTrace#single}), then
 * {@link dev.tuntcp.trace.LadderText#render}, {@link dev.tuntcp.trace.LadderSvg#render} or
 * {@link dev.tuntcp.trace.LadderMermaid#render} with {@link dev.tuntcp.trace.LadderOptions}; the
 * {@link dev.tuntcp.trace.Explainer} supplies the one-line explanation of each segment (on by
 * default in the ladders).
 */
package dev.tuntcp.trace;
