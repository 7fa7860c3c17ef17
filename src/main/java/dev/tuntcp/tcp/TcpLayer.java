package dev.tuntcp.tcp;

import io.netty.buffer.ByteBuf;
import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import java.util.Arrays;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP for one stack: the connection table, the listeners, the entry for arriving segments and the
 * user's OPEN calls. Parsed segments come in through {@link #input} (from {@code TcpInput}, or from a
 * test); segments go out through the {@link TcpOutput} given at construction.
 *
 * <p>Owned by the event-loop thread: every method must be called there, and no method calls back
 * into the caller except through {@link TcpOutput}, the {@link TcpTraceListener} and the
 * application's handlers.
 */
public final class TcpLayer {
    /** RFC 9293 §3.7.1 / RFC 1122 §4.2.2.6: the send MSS when the peer sent no MSS option. */
    static final int DEFAULT_SND_MSS = 536;
    /** A floor for a peer's MSS option, against tiny-segment floods (Linux tcp_min_snd_mss). */
    static final int MIN_SND_MSS = 48;

    private final TcpConfig config;
    private final TimerQueue timers;
    private final Counters counters;
    private final TcpOutput output;
    private final IsnGenerator isnGenerator;
    private final ConnectionTable table = new ConnectionTable();
    private final ResourceLimits limits;
    private final ChallengeAckLimiter challengeAcks;
    private final SynCookies synCookies;
    private final Listener[] listeners = new Listener[65536];
    private final Segment outScratch = new Segment();
    /** Inside {@link #beginInputBatch}: ACKs for in-order data wait for {@link #endInputBatch}. */
    private boolean inputBatch;
    /** Connections owing an ACK at the end of the batch, each once ({@link Connection#batchAckOwed}). */
    private Connection[] batchAcks = new Connection[8];
    private int batchAckCount;
    private TcpTraceListener trace;
    private int nextEphemeral;
    /** Where sent packets may still wait before they leave the host (a TUN writer thread's ring). */
    private TransmitQueue transmitQueue = TransmitQueue.NONE;

    public TcpLayer(TcpConfig config, TimerQueue timers, Counters counters, TcpOutput output) {
        this.config = config;
        this.timers = timers;
        this.counters = counters;
        this.output = output;
        this.isnGenerator = config.isnGenerator() != null ? config.isnGenerator()
                : new KeyedIsnGenerator(timers.clock());
        this.nextEphemeral = config.ephemeralLow()
                + ThreadLocalRandom.current().nextInt(config.ephemeralHigh() - config.ephemeralLow() + 1);
        this.limits = new ResourceLimits(config);
        SecureRandom random = new SecureRandom();
        this.challengeAcks = new ChallengeAckLimiter(timers.clock(), random.nextLong());
        this.synCookies = new SynCookies(timers.clock(), random);
    }

    public TcpConfig config() {
        return config;
    }

    public TimerQueue timers() {
        return timers;
    }

    public Counters counters() {
        return counters;
    }

    /**
     * Tells TCP about a queue below it where sent packets wait before they leave the host (null: none):
     * retransmission and loss-probe timers then wait while a connection's latest packet is still
     * queued ({@link TransmitQueue}). Loop thread, before connections exist.
     */
    public void transmitQueue(TransmitQueue queue) {
        this.transmitQueue = queue == null ? TransmitQueue.NONE : queue;
    }

    /** Installs (or, with null, removes) the listener for TCP's event stream. */
    public void setTraceListener(TcpTraceListener listener) {
        this.trace = listener;
    }

    // --- the user's OPEN (RFC 9293 §3.10.1) --------------------------------------------------------

    /**
     * Passive OPEN: listens on {@code localPort} of {@code localAddress} (0: every address); port 0
     * picks a free ephemeral port ({@link Listener#localPort()} tells which). Each connection that
     * completes its handshake gets a handler from {@code factory}, which may return null to refuse it
     * (the connection is then reset). At most {@code backlog} connections may be half-open at once.
     *
     * @throws IllegalStateException if the port already has a listener
     */
    public Listener listen(int localAddress, int localPort, int backlog, ConnectionHandlerFactory factory) {
        if (localPort == 0) {
            localPort = freeListenPort();
        }
        checkPort(localPort);
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        if (listeners[localPort] != null) {
            throw new IllegalStateException("port " + localPort + " already has a listener");
        }
        Listener l = new Listener(this, localAddress, localPort, backlog, factory);
        listeners[localPort] = l;
        return l;
    }

    /** Passive OPEN with the configured default backlog. */
    public Listener listen(int localAddress, int localPort, ConnectionHandlerFactory factory) {
        return listen(localAddress, localPort, config.defaultBacklog(), factory);
    }

    /**
     * Active OPEN: sends a SYN from {@code localAddress}:{@code localPort} (0: an ephemeral port) to
     * the remote socket and returns the connection in SYN-SENT. {@code handler} hears onOpen when the
     * handshake completes, or onClosed(REFUSED / TIMED_OUT). Data written before then is queued.
     *
     * @throws IllegalStateException if the 4-tuple is in use ("connection already exists") or no
     *     ephemeral port is free
     */
    public Connection connect(int localAddress, int localPort, int remoteAddress, int remotePort,
                              ConnectionHandler handler) {
        checkPort(remotePort);
        if (handler == null) {
            throw new IllegalArgumentException("handler is required");
        }
        int port = localPort != 0 ? localPort : ephemeralPort(localAddress, remoteAddress, remotePort);
        checkPort(port);
        Connection c = new Connection(this, localAddress, port, remoteAddress, remotePort, null);
        if (table.find(localAddress, port, remoteAddress, remotePort) != null) {
            throw new IllegalStateException("connection already exists: " + c);
        }
        TcpDrop refused = limits.check(c, table.size());
        if (refused != null) {
            drop(null, null, refused);
            throw new IllegalStateException("connection refused by the stack's resource bounds (" + refused + "): " + c);
        }
        admit(c, null);
        c.events.handler(handler);
        // "Create a new TCB ... An initial send sequence number (ISS) is selected. A SYN segment of
        // the form <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter SYN-SENT."
        c.initSendSequence(isn(c));
        count(TcpStat.ACTIVE_OPENS);
        c.setState(TcpState.SYN_SENT);
        SegmentSender.sendSyn(c);
        c.retransmitTimer.ensureRunning();
        return c;
    }

    /** Active OPEN from an ephemeral port. */
    public Connection connect(int localAddress, int remoteAddress, int remotePort, ConnectionHandler handler) {
        return connect(localAddress, 0, remoteAddress, remotePort, handler);
    }

    // --- segments in ---------------------------------------------------------------------------------

    /**
     * SEGMENT ARRIVES (RFC 9293 §3.10.7). {@code segment} and its data are borrowed for the call: TCP
     * copies the data it keeps and releases nothing. Never throws for any field values.
     */
    public void input(Segment segment) {
        count(TcpStat.SEGMENTS_IN);
        SegmentArrival.onSegment(this, segment);
    }

    /**
     * Starts an input batch: the packets one poll of the link read arrive next. Until
     * {@link #endInputBatch} the ACK that in-order data owes every second full-sized segment waits,
     * so each connection sends one cumulative ACK for the batch ({@link DelayedAck}). Whoever calls
     * this must call {@link #endInputBatch} when the batch is over, before timers run or the loop
     * sleeps.
     */
    public void beginInputBatch() {
        inputBatch = true;
    }

    /** Ends the input batch: every connection that deferred an ACK in it sends one now. */
    public void endInputBatch() {
        inputBatch = false;
        for (int i = 0; i < batchAckCount; i++) {
            Connection c = batchAcks[i];
            batchAcks[i] = null;
            c.batchAckOwed = false;
            c.delayedAck.batchEnded();
            if (c.ackNow) {
                SegmentSender.output(c, false); // data that is ready carries the ACK; else a pure ACK
                c.events.deliver(c);
            }
        }
        batchAckCount = 0;
    }

    /**
     * Inside an input batch, notes that {@code c} owes an ACK at its end and returns true; outside
     * one returns false (the ACK goes at once).
     */
    boolean deferAckToBatchEnd(Connection c) {
        if (!inputBatch) {
            return false;
        }
        if (!c.batchAckOwed) {
            if (batchAckCount == batchAcks.length) {
                batchAcks = Arrays.copyOf(batchAcks, batchAcks.length * 2); // grows once, to the busiest batch
            }
            batchAcks[batchAckCount++] = c;
            c.batchAckOwed = true;
        }
        return true;
    }

    // --- lookups (STATUS, tests, the stack's shutdown) -----------------------------------------------

    /** The connection with this 4-tuple, or null (CLOSED). */
    public Connection find(int localAddress, int localPort, int remoteAddress, int remotePort) {
        return table.find(localAddress, localPort, remoteAddress, remotePort);
    }

    /** The listener on {@code localPort}, or null. */
    public Listener listener(int localPort) {
        return localPort >= 0 && localPort < listeners.length ? listeners[localPort] : null;
    }

    public int connectionCount() {
        return table.size();
    }

    /** A snapshot of every connection (allocates). */
    public List<Connection> connections() {
        return Arrays.asList(table.toArray());
    }

    // --- package-private plumbing for the state machine ----------------------------------------------

    ConnectionTable table() {
        return table;
    }

    Listener listenerFor(int localAddress, int localPort) {
        Listener l = listeners[localPort & 0xffff];
        return l != null && l.matches(localAddress) ? l : null;
    }

    void removeListener(Listener l) {
        if (listeners[l.localPort()] == l) {
            listeners[l.localPort()] = null;
        }
        // Half-open connections of the listener have no application yet: reset them (§3.10.4).
        for (Connection c : table.toArray()) {
            if (c.listener == l && c.state == TcpState.SYN_RECEIVED) {
                UserCalls.abort(c);
            }
        }
    }

    void removeConnection(Connection c) {
        table.remove(c);
    }

    /**
     * Adds a new connection to the table if the resource bounds of {@link TcpConfig} allow it (the
     * bound crossed is counted as a drop of {@code seg}); returns whether it was added.
     */
    boolean admit(Connection c, Segment seg) {
        TcpDrop refused = limits.check(c, table.size());
        if (refused != null) {
            drop(null, seg, refused);
            return false;
        }
        if (!table.add(c)) {
            return false;
        }
        limits.reserve(c);
        return true;
    }

    /** RFC 5961 §7: whether the layer's challenge-ACK budget allows one more now (counted if not). */
    boolean challengeAckAllowed() {
        if (challengeAcks.tryAcquire(config.challengeAckLimit())) {
            return true;
        }
        count(TcpStat.CHALLENGE_ACKS_LIMITED);
        return false;
    }

    SynCookies synCookies() {
        return synCookies;
    }

    /** Receive and send buffer memory the connections have reserved (STATUS, tests). */
    public long receiveMemoryReserved() {
        return limits.receiveReserved();
    }

    public long sendMemoryReserved() {
        return limits.sendReserved();
    }

    /** Out-of-order bytes all connections hold (STATUS, tests: returns to 0 when queues drain). */
    public long outOfOrderMemoryHeld() {
        return limits.outOfOrderHeld();
    }

    ResourceLimits limits() {
        return limits;
    }

    int isn(Connection c) {
        return isnGenerator.initialSequenceNumber(c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
    }

    /** The output scratch segment, cleared and addressed from {@code c}'s side. */
    Segment outSegment(Connection c) {
        Segment out = outScratch.clear();
        out.sourceAddress = c.localAddress;
        out.sourcePort = c.localPort;
        out.destinationAddress = c.remoteAddress;
        out.destinationPort = c.remotePort;
        return out;
    }

    /** The output scratch segment, cleared and addressed back to the sender of {@code in}. */
    Segment outReply(Segment in) {
        Segment out = outScratch.clear();
        out.sourceAddress = in.destinationAddress;
        out.sourcePort = in.destinationPort;
        out.destinationAddress = in.sourceAddress;
        out.destinationPort = in.sourcePort;
        return out;
    }

    void emit(Connection c, Segment out) {
        if (c != null) {
            OptionNegotiation.decorate(c, out);
        }
        count(TcpStat.SEGMENTS_OUT);
        if (out.has(Segment.RST)) {
            count(TcpStat.RESETS_SENT);
        }
        if (trace != null) {
            trace.segmentOut(timers.clock().nanos(), c, out, c == null ? TcpState.CLOSED : c.state);
        }
        output.send(out);
        if (c != null && (out.dataLength > 0 || (out.flags & (Segment.SYN | Segment.FIN)) != 0)) {
            // Only what the timers guard: a pure ACK still queued must not hold back a timeout.
            c.transmitTicket = transmitQueue.queued();
        }
    }

    /**
     * Whether {@code c}'s latest segment that occupies sequence space (data, SYN, FIN) still waits in
     * the {@link TransmitQueue} below, not yet transmitted ({@link HostQueueWait}).
     */
    boolean stillInHostQueue(Connection c) {
        return c.transmitTicket > transmitQueue.departed();
    }

    /**
     * An ICMP error (RFC 792) about a TCP segment this layer sent: see {@link IcmpErrorArrival}. The
     * quote — the IPv4 header we sent and at least 8 octets of TCP — is borrowed for the call.
     */
    public void onIcmpError(int type, int code, int restOfHeader, ByteBuf quote, int offset, int length) {
        IcmpErrorArrival.process(this, type, code, restOfHeader, quote, offset, length);
    }

    void count(TcpStat stat) {
        counters.increment(stat);
    }

    void drop(Connection c, Segment seg, TcpDrop reason) {
        counters.increment(reason);
        if (trace != null) {
            trace.dropped(timers.clock().nanos(), c, seg, reason);
        }
    }

    void traceIn(Connection c, Segment seg, TcpState state) {
        if (trace != null) {
            trace.segmentIn(timers.clock().nanos(), c, seg, state);
        }
    }

    /** Every state change of a connection (Connection.setState): resource accounting, then the trace. */
    void traceStateChange(Connection c, TcpState from, TcpState to) {
        limits.stateChanged(c, from, to);
        if (trace != null) {
            trace.stateChanged(timers.clock().nanos(), c, from, to);
        }
    }

    void traceTimer(Connection c, TcpTimerKind kind) {
        if (trace != null) {
            trace.timerFired(timers.clock().nanos(), c, kind);
        }
    }

    private int ephemeralPort(int localAddress, int remoteAddress, int remotePort) {
        int low = config.ephemeralLow();
        int range = config.ephemeralHigh() - low + 1;
        for (int i = 0; i < range; i++) {
            int port = low + Math.floorMod(nextEphemeral - low + i, range);
            if (listeners[port] == null && table.find(localAddress, port, remoteAddress, remotePort) == null) {
                nextEphemeral = port + 1;
                return port;
            }
        }
        throw new IllegalStateException("no free ephemeral port for " + formatAddress(remoteAddress) + ':' + remotePort);
    }

    /** An ephemeral port with no listener and no connection on it. */
    private int freeListenPort() {
        boolean[] used = new boolean[65536];
        table.forEach(c -> used[c.localPort] = true);
        int low = config.ephemeralLow();
        int range = config.ephemeralHigh() - low + 1;
        for (int i = 0; i < range; i++) {
            int port = low + Math.floorMod(nextEphemeral - low + i, range);
            if (listeners[port] == null && !used[port]) {
                nextEphemeral = port + 1;
                return port;
            }
        }
        throw new IllegalStateException("no free port to listen on");
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Dotted-quad form of an IPv4 address held in an int. */
    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + '.' + ((address >>> 8) & 0xff) + '.' + (address & 0xff);
    }
}
