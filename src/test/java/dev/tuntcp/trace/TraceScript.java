package dev.tuntcp.trace;

import dev.tuntcp.wire.TcpFlags;
import dev.tuntcp.wire.TcpOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds event sequences the way the TCP layer's listener reports them: an arriving segment with the
 * state it found, then the state changes it caused, then the segments sent in reply (each with the
 * state it was sent in). Time advances 100 µs per event.
 */
final class TraceScript {
    static final Endpoint KERNEL = Endpoint.of("10.13.0.1", 45678);
    static final Endpoint STACK = Endpoint.of("10.13.0.2", 80);
    static final int S = TcpFlags.SYN;
    static final int A = TcpFlags.ACK;
    static final int F = TcpFlags.FIN;
    static final int R = TcpFlags.RST;
    static final int P = TcpFlags.PSH;

    final Endpoint peer;
    final Endpoint local;
    final List<TraceEvent> events = new ArrayList<>();
    TraceState state;
    long nanos;

    TraceScript(Endpoint peer, Endpoint local, TraceState initial) {
        this.peer = peer;
        this.local = local;
        this.state = initial;
    }

    TraceScript(TraceState initial) {
        this(KERNEL, STACK, initial);
    }

    ConnectionId id() {
        return new ConnectionId(local, peer);
    }

    TraceScript in(int flags, int seq, int ack, int len) {
        return in(flags, seq, ack, len, List.of());
    }

    TraceScript in(int flags, int seq, int ack, int len, List<TcpOption> options) {
        events.add(segment(Direction.IN, flags, seq, ack, len, options));
        return this;
    }

    TraceScript out(int flags, int seq, int ack, int len) {
        return out(flags, seq, ack, len, List.of());
    }

    TraceScript out(int flags, int seq, int ack, int len, List<TcpOption> options) {
        events.add(segment(Direction.OUT, flags, seq, ack, len, options));
        return this;
    }

    /** The last segment added, lost on the way. */
    TraceScript lost() {
        SegmentEvent last = (SegmentEvent) events.get(events.size() - 1);
        events.add(Drop.lost(last));
        return this;
    }

    TraceScript to(TraceState next) {
        events.add(StateChange.stack(tick(), id(), state, next));
        state = next;
        return this;
    }

    TraceScript timer(String name) {
        events.add(new TimerFired(tick(), id(), name));
        return this;
    }

    TraceScript peerObserved(TraceState s) {
        events.add(StateChange.peerObserved(tick(), id(), s));
        return this;
    }

    TraceScript note(String text) {
        events.add(new Annotation(tick(), null, text));
        return this;
    }

    List<TraceEvent> events() {
        return List.copyOf(events);
    }

    private SegmentEvent segment(Direction d, int flags, int seq, int ack, int len, List<TcpOption> options) {
        boolean in = d == Direction.IN;
        return SegmentEvent.builder(d).nanos(tick()).from(in ? peer : local).to(in ? local : peer).flags(flags)
                .seq(seq).ack(ack).window(in ? 502 : 64000).windowShift(flags == S || flags == (S | A) ? -1 : 7)
                .options(options).payloadLength(len).states(state, null).build();
    }

    private long tick() {
        long t = nanos;
        nanos += 100_000;
        return t;
    }

    // ---- canonical sequences -------------------------------------------------------------------

    static final int X = (int) 3571820114L;
    /** The server's ISN sits just below 2^32 so its numbers wrap during the exchange. */
    static final int Y = 0xffffff80;

    static final List<TcpOption> LINUX_SYN = List.of(new TcpOption.Mss(1460), new TcpOption.SackPermitted(),
            new TcpOption.Timestamps(991, 0), new TcpOption.Nop(), new TcpOption.WindowScale(7));

    /** Kernel client: three-way handshake, a 78-byte request, a 200-byte response, client closes first. */
    static TraceScript handshakeRequestTeardown() {
        return new TraceScript(TraceState.LISTEN)
                .in(S, X, 0, 0, LINUX_SYN).to(TraceState.SYN_RECEIVED)
                .out(S | A, Y, X + 1, 0, List.of(new TcpOption.Mss(1460)))
                .in(A, X + 1, Y + 1, 0).to(TraceState.ESTABLISHED)
                .in(P | A, X + 1, Y + 1, 78)
                .out(A, Y + 1, X + 79, 0)
                .out(P | A, Y + 1, X + 79, 200)
                .in(A, X + 79, Y + 201, 0)
                .in(F | A, X + 79, Y + 201, 0).to(TraceState.CLOSE_WAIT)
                .out(A, Y + 201, X + 80, 0)
                .to(TraceState.LAST_ACK).out(F | A, Y + 201, X + 80, 0)
                .in(A, X + 80, Y + 202, 0).to(TraceState.CLOSED);
    }

    /** Kernel client sends a request and half-closes; the stack keeps sending, then closes. */
    static TraceScript halfClose() {
        return new TraceScript(TraceState.LISTEN)
                .in(S, X, 0, 0).to(TraceState.SYN_RECEIVED)
                .out(S | A, Y, X + 1, 0)
                .in(A, X + 1, Y + 1, 0).to(TraceState.ESTABLISHED)
                .in(P | A, X + 1, Y + 1, 10)
                .in(F | A, X + 11, Y + 1, 0).to(TraceState.CLOSE_WAIT)
                .out(A, Y + 1, X + 12, 0)
                .out(P | A, Y + 1, X + 12, 1000)
                .in(A, X + 12, Y + 1001, 0)
                .out(P | A, Y + 1001, X + 12, 1000)
                .in(A, X + 12, Y + 2001, 0)
                .to(TraceState.LAST_ACK).out(F | A, Y + 2001, X + 12, 0)
                .in(A, X + 12, Y + 2002, 0).to(TraceState.CLOSED);
    }

    /** Kernel client closes; the stack answers with FIN and ACK in one segment. */
    static TraceScript combinedFin() {
        return new TraceScript(TraceState.LISTEN)
                .in(S, X, 0, 0).to(TraceState.SYN_RECEIVED)
                .out(S | A, Y, X + 1, 0)
                .in(A, X + 1, Y + 1, 0).to(TraceState.ESTABLISHED)
                .in(F | A, X + 1, Y + 1, 0).to(TraceState.CLOSE_WAIT).to(TraceState.LAST_ACK)
                .out(F | A, Y + 1, X + 2, 0)
                .in(A, X + 2, Y + 2, 0).to(TraceState.CLOSED);
    }

    /** A SYN to port 81 where nothing listens: RST/ACK with ack = SYN seq + 1 (RFC 9293 §3.10.7.1). */
    static TraceScript closedPort() {
        return new TraceScript(KERNEL, Endpoint.of("10.13.0.2", 81), TraceState.CLOSED)
                .in(S, X, 0, 0, LINUX_SYN)
                .out(R | A, 0, X + 1, 0);
    }

    /**
     * The stack opens; a stale SYN/ACK (acknowledging some other ISN) arrives first and is refused
     * with RST; then the real SYN/ACK completes the handshake.
     */
    static TraceScript staleSynAck() {
        int stale = 0x12345678;
        return new TraceScript(KERNEL, Endpoint.of("10.13.0.2", 40000), TraceState.CLOSED)
                .to(TraceState.SYN_SENT).out(S, X, 0, 0)
                .in(S | A, 777, stale, 0)
                .out(R, stale, 0, 0)
                .in(S | A, Y, X + 1, 0).to(TraceState.ESTABLISHED)
                .out(A, X + 1, Y + 1, 0);
    }

    /**
     * The stack closes first; the peer's FIN comes after its ACK; the stack's last ACK is lost, the
     * peer retransmits its FIN and TIME-WAIT re-ACKs it; 2×MSL later the connection goes.
     */
    /**
     * The lab's kind of trace: the kernel's states as observed from its socket table — after each
     * segment handed to the kernel (always) and before each segment from it (when changed) — with
     * the kernel's application closing while its data is on the way (FIN-WAIT-1 seen before the
     * data arrives).
     */
    static TraceScript observedByTheLab() {
        return new TraceScript(TraceState.LISTEN)
                .peerObserved(TraceState.CLOSED)
                .peerObserved(TraceState.SYN_SENT)
                .in(S, X, 0, 0, LINUX_SYN).to(TraceState.SYN_RECEIVED)
                .out(S | A, Y, X + 1, 0).peerObserved(TraceState.ESTABLISHED)
                .in(A, X + 1, Y + 1, 0).to(TraceState.ESTABLISHED)
                .peerObserved(TraceState.FIN_WAIT_1)
                .in(P | A, X + 1, Y + 1, 5)
                .out(A, Y + 1, X + 6, 0).peerObserved(TraceState.FIN_WAIT_1)
                .in(F | A, X + 6, Y + 1, 0).to(TraceState.CLOSE_WAIT)
                .out(A, Y + 1, X + 7, 0).peerObserved(TraceState.FIN_WAIT_2)
                .to(TraceState.LAST_ACK).out(F | A, Y + 1, X + 7, 0).peerObserved(TraceState.TIME_WAIT)
                .in(A, X + 7, Y + 2, 0).to(TraceState.CLOSED);
    }

    static TraceScript lostLastAck() {
        return new TraceScript(KERNEL, Endpoint.of("10.13.0.2", 40000), TraceState.CLOSED)
                .to(TraceState.SYN_SENT).out(S, X, 0, 0)
                .in(S | A, Y, X + 1, 0).to(TraceState.ESTABLISHED)
                .out(A, X + 1, Y + 1, 0)
                .to(TraceState.FIN_WAIT_1).out(F | A, X + 1, Y + 1, 0)
                .in(A, Y + 1, X + 2, 0).to(TraceState.FIN_WAIT_2)
                .in(F | A, Y + 1, X + 2, 0).to(TraceState.TIME_WAIT)
                .out(A, X + 2, Y + 2, 0).lost()
                .in(F | A, Y + 1, X + 2, 0)
                .out(A, X + 2, Y + 2, 0)
                .timer(TimerFired.TIME_WAIT).to(TraceState.CLOSED);
    }

    /** Both sides send SYN at once, then both send FIN at once. */
    static TraceScript simultaneous() {
        return new TraceScript(KERNEL, Endpoint.of("10.13.0.2", 40000), TraceState.CLOSED)
                .to(TraceState.SYN_SENT).out(S, Y, 0, 0)
                .in(S, X, 0, 0).to(TraceState.SYN_RECEIVED)
                .out(S | A, Y, X + 1, 0)
                .in(S | A, X, Y + 1, 0).to(TraceState.ESTABLISHED)
                .to(TraceState.FIN_WAIT_1).out(F | A, Y + 1, X + 1, 0)
                .in(F | A, X + 1, Y + 1, 0).to(TraceState.CLOSING)
                .out(A, Y + 2, X + 2, 0)
                .in(A, X + 2, Y + 2, 0).to(TraceState.TIME_WAIT);
    }
}
