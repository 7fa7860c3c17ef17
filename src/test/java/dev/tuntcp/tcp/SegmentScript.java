package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.KeepAlive;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs packetdrill-style scripts against one {@link TcpLayer} with no IP below it (DESIGN §5.2; the
 * model is gVisor's tcp/testing/context). Inbound lines ({@code <}) are injected as segments from the
 * remote peer 192.0.2.1:40000 to the local 192.168.0.1:8080; outbound lines ({@code >}) must match,
 * in order, exactly the segments TCP sends: a segment sent and not expected fails the script.
 *
 * <p>Numbers: inbound SEQ and outbound ACK are the peer's absolute numbers (the script chooses the
 * peer's ISN); inbound ACK and outbound SEQ are relative to our ISS, learned from the first SYN we
 * send (0 until then), as in packetdrill.
 *
 * <p>Other lines: {@code listen [backlog N]}, {@code connect}, {@code write N [-> TAKEN]}, {@code read N},
 * {@code shutdown}, {@code close}, {@code abort}, {@code +2s} / {@code +200ms} (advance virtual time,
 * firing timers), {@code state S}, {@code ~ EVENT} (a handler event happened: open, readable,
 * writable, closed REASON), {@code ~ !EVENT} (it did not), {@code drop REASON [xN]} (the drop counter
 * rose by exactly N, default 1; every drop must be declared), {@code eof} / {@code !eof},
 * {@code readable N}, {@code var NAME N} (SND.UNA, SND.NXT relative to ISS; RCV.NXT absolute;
 * SND.WND, RCV.WND, SND.MSS, CWND, SSTHRESH, RTO.MS), {@code remote-port N}, {@code forget-iss}, {@code write-refused},
 * {@code nodelay [off]}, {@code keepalive IDLE INTERVAL PROBES | off}, {@code linger0} (socket
 * options), {@code count STAT N} (a {@link TcpStat} counter is exactly N), {@code app echo} (the
 * application echoes from inside its callbacks and half-closes after the peer's FIN).
 * options), {@code count STAT N} (a {@link TcpStat} counter is exactly N), {@code batch} /
 * {@code end-batch} (the inbound lines between them are one input batch, as one poll of a link
 * reads them: {@link TcpLayer#beginInputBatch}), {@code hold} / {@code release} (the link below
 * keeps what TCP sends in its transmit queue — as a TUN writer thread's ring does while the writer
 * waits for a core — until {@code release} writes it all: {@link TransmitQueue}; the {@code >} lines
 * still show each segment as TCP hands it over).
 * {@code #} starts a comment.
 */
final class SegmentScript {
    static final int LOCAL = 0xC0A80001;   // 192.168.0.1
    static final int REMOTE = 0xC0000201;  // 192.0.2.1
    static final int LOCAL_PORT = 8080;

    final VirtualClock clock = new VirtualClock();
    final TimerQueue timers = new TimerQueue(clock);
    final Counters counters = new Counters();
    final TcpConfig config;
    final TcpLayer layer;
    private final Deque<Sent> sent = new ArrayDeque<>();
    private final List<String> events = new ArrayList<>();
    private final Map<TcpDrop, Long> declaredDrops = new EnumMap<>(TcpDrop.class);
    private int localPort = LOCAL_PORT;
    private int remotePort = 40000;
    private int iss;
    private boolean issKnown;
    private int irs;
    private long written;
    private long read;
    private Connection active;
    private int lineNo;
    private String lineText;
    /** The link's transmit queue ({@code hold} / {@code release}): packets handed over and written. */
    private long queued;
    private long departed;
    private boolean holding;

    /** Our TSval base (like ISS): TS values in scripts are relative to it once learned. */
    private int tsBase;
    private boolean tsKnown;

    /** A copy of one segment TCP sent; {@code header} holds its fields and options (no data). */
    record Sent(int flags, int seq, int ack, int window, Segment header, byte[] data, int srcPort, int dstPort) {
    }

    /** The options as the script writes them: our TSval relative to the learned base. */
    private String options(Sent s) {
        Segment h = new Segment().copyFrom(s.header);
        if (h.hasTimestamps && tsKnown) {
            h.tsVal -= tsBase;
        }
        return h.optionsToString();
    }

    /**
     * A script on the default configuration, except that the RTO floor is RFC 6298 §2.4's 1 s (the
     * stack's default is 200 ms): the handshake of a script takes no time, so its RTT sample is 0 and
     * the RTO sits at the floor; scripts that are not about the RTO read their timer lines in seconds.
     */
    SegmentScript() {
        this(config());
    }

    /** The configuration of {@link #SegmentScript()}, for scripts that change something else. */
    static TcpConfig config() {
        return TestAllocator.config().minRtoNanos(TimeUnit.SECONDS.toNanos(1));
    }

    SegmentScript(TcpConfig config) {
        this.config = config;
        this.layer = new TcpLayer(config, timers, counters, this::capture);
        layer.transmitQueue(new TransmitQueue() {
            @Override
            public long queued() {
                return queued;
            }

            @Override
            public long departed() {
                return departed;
            }
        });
    }

    /** Runs {@code script}; fails with the line and what was sent on the first mismatch. */
    SegmentScript run(String script) {
        String[] lines = script.split("\n");
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            lineText = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (lineText.isEmpty()) {
                continue;
            }
            try {
                step(lineText);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("script line " + lineNo + " `" + lineText + "`: " + e.getMessage()
                        + pendingText(), e);
            }
        }
        lineNo = lines.length + 1;
        lineText = "<end of script>";
        expectNothingPending();
        checkAllDropsDeclared();
        return this;
    }

    private void step(String line) {
        if (line.startsWith(">")) {
            expect(ScriptSegment.parse(line));
            return;
        }
        String[] w = line.split("\\s+");
        switch (w[0]) {
            case "<" -> {
                expectNothingPending();
                inject(ScriptSegment.parse(line));
            }
            case "listen" -> {
                expectNothingPending();
                int backlog = w.length >= 3 && w[1].equals("backlog") ? Integer.parseInt(w[2]) : 4;
                layer.listen(LOCAL, LOCAL_PORT, backlog, () -> handler);
            }
            case "connect" -> {
                expectNothingPending();
                active = layer.connect(LOCAL, 0, REMOTE, remotePort, handler);
                localPort = active.localPort();
            }
            case "write" -> {
                expectNothingPending();
                int n = Integer.parseInt(w[1]);
                int want = w.length == 4 && w[2].equals("->") ? Integer.parseInt(w[3]) : n;
                ByteBuf data = pattern(n);
                int taken = channel().write(data);
                data.release();
                if (taken != want) {
                    fail("write " + n + " took " + taken + ", expected " + want);
                }
                written += Math.max(taken, 0);
            }
            case "write-refused" -> {
                expectNothingPending();
                ByteBuf data = pattern(1);
                int taken = channel().write(data);
                data.release();
                if (taken != 0 || channel().writableBytes() != 0) {
                    fail("write after close took " + taken + ", expected 0 and no room");
                }
            }
            case "read" -> {
                expectNothingPending();
                readAndCheck(Integer.parseInt(w[1]));
            }
            case "readable" -> check(channel().readableBytes() == Integer.parseInt(w[1]),
                    "readable bytes " + channel().readableBytes());
            case "eof" -> check(channel().isInputShutdown(), "input not shut down");
            case "!eof" -> check(!channel().isInputShutdown(), "input shut down");
            case "shutdown" -> {
                expectNothingPending();
                channel().shutdownOutput();
            }
            case "close" -> {
                expectNothingPending();
                channel().close();
            }
            case "abort" -> {
                expectNothingPending();
                channel().abort();
            }
            case "state" -> {
                TcpState want = TcpState.fromName(w[1]);
                Connection c = current();
                TcpState have = c == null ? TcpState.CLOSED : c.state;
                check(have == want, "state is " + have.rfcName() + ", expected " + want.rfcName());
            }
            case "~" -> event(line.substring(1).trim());
            case "drop" -> drop(TcpDrop.valueOf(w[1]), w.length > 2 ? Integer.parseInt(w[2].substring(1)) : 1);
            case "var" -> variable(w[1], Long.parseLong(w[2]));
            case "remote-port" -> remotePort = Integer.parseInt(w[1]);
            case "app" -> {
                check(w[1].equals("echo"), "the only scripted application is `app echo`");
                echoApp = true;
            }
            case "nodelay" -> channel().setTcpNoDelay(!(w.length > 1 && w[1].equals("off")));
            case "keepalive" -> channel().setKeepAlive(w[1].equals("off") ? KeepAlive.OFF
                    : new KeepAlive(parseDuration(w[1]), parseDuration(w[2]), Integer.parseInt(w[3])));
            case "linger0" -> channel().setAbortOnClose(true);
            case "retries" -> channel().setRetransmissionLimit(Integer.parseInt(w[1]));
            case "count" -> check(counters.get(TcpStat.valueOf(w[1])) == Long.parseLong(w[2]),
                    w[1] + " is " + counters.get(TcpStat.valueOf(w[1])) + ", expected " + w[2]);
            case "icmp" -> icmp(w);
            case "soft-error" -> check(line.substring(line.indexOf(' ') + 1).equals(String.valueOf(current().softError())),
                    "soft error is " + current().softError());
            case "batch" -> {
                expectNothingPending();
                layer.beginInputBatch();
            }
            case "end-batch" -> {
                expectNothingPending();
                layer.endInputBatch();
            }
            case "hold" -> holding = true;
            case "release" -> {
                holding = false;
                departed = queued;
            }
            case "forget-iss" -> {
                issKnown = false;
                tsKnown = false;
            }
            default -> {
                if (w[0].startsWith("+")) {
                    expectNothingPending();
                    advance(parseDuration(w[0].substring(1)));
                } else {
                    throw new IllegalArgumentException("unknown script line");
                }
            }
        }
    }

    /**
     * {@code icmp TYPE/CODE seq N [mtu M] [len L]}: an ICMP error arrives quoting the IPv4 header and
     * the first 8 octets of a segment we sent with sequence number N (relative to our ISS), of L
     * octets in all (default 1500); M fills the next-hop MTU field of "fragmentation needed".
     */
    private void icmp(String[] w) {
        String[] typeCode = w[1].split("/");
        int seq = 0;
        int mtu = 0;
        int length = 1500;
        for (int i = 2; i + 1 < w.length; i += 2) {
            switch (w[i]) {
                case "seq" -> seq = (int) (iss + Long.parseLong(w[i + 1]));
                case "mtu" -> mtu = Integer.parseInt(w[i + 1]);
                case "len" -> length = Integer.parseInt(w[i + 1]);
                default -> throw new IllegalArgumentException("icmp: unknown field " + w[i]);
            }
        }
        ByteBuf quote = Unpooled.buffer(28);
        quote.writeByte(0x45).writeByte(0).writeShort(length).writeShort(0).writeShort(0x4000) // DF
                .writeByte(64).writeByte(6).writeShort(0).writeInt(LOCAL).writeInt(REMOTE);
        quote.writeShort(localPort).writeShort(remotePort).writeInt(seq);
        try {
            layer.onIcmpError(Integer.parseInt(typeCode[0]), Integer.parseInt(typeCode[1]), mtu, quote, 0, quote.readableBytes());
        } finally {
            quote.release();
        }
    }

    // --- segments ---------------------------------------------------------------------------------

    private void inject(ScriptSegment s) {
        Segment seg = new Segment();
        seg.sourceAddress = REMOTE;
        seg.sourcePort = remotePort;
        seg.destinationAddress = LOCAL;
        seg.destinationPort = localPort;
        seg.flags = s.flags;
        seg.seq = (int) s.seq;
        seg.ack = s.ack == null ? 0 : (int) s.ack.longValue() + (issKnown ? iss : 0);
        if (s.ack != null && (s.flags & Segment.ACK) == 0) {
            throw new IllegalArgumentException("ack given without the ACK flag");
        }
        seg.window = s.window == null ? 65535 : s.window;
        seg.urgentPointer = s.urgent == null ? 0 : s.urgent;
        seg.mss = s.mss == null ? -1 : s.mss;
        seg.windowScale = s.windowScale == null ? -1 : s.windowScale;
        seg.sackPermitted = s.sackPermitted;
        seg.hasTimestamps = s.timestamps;
        seg.tsVal = (int) s.tsVal;
        // The peer echoes our TSval: relative to our base once it is known (as inbound ACKs to ISS).
        seg.tsEcr = (int) s.tsEcr + (tsKnown ? tsBase : 0);
        seg.sackBlockCount = s.sackBlocks.length / 2;
        for (int i = 0; i < seg.sackBlockCount; i++) {
            seg.sackLeft[i] = (int) s.sackBlocks[2 * i] + (issKnown ? iss : 0);
            seg.sackRight[i] = (int) s.sackBlocks[2 * i + 1] + (issKnown ? iss : 0);
        }
        if ((s.flags & Segment.SYN) != 0) {
            irs = seg.seq;
        }
        ByteBuf data = null;
        if (s.length > 0) {
            int first = seg.seq + ((s.flags & Segment.SYN) != 0 ? 1 : 0);
            data = Unpooled.buffer(s.length + 7);
            data.writerIndex(7); // the data need not start at index 0
            for (int i = 0; i < s.length; i++) {
                data.writeByte(peerByte(first + i));
            }
            seg.data = data;
            seg.dataIndex = 7;
            seg.dataLength = s.length;
        }
        try {
            layer.input(seg);
        } finally {
            if (data != null) {
                data.release();
            }
        }
    }

    private void capture(Segment out) {
        queued++;
        if (!holding) {
            departed = queued; // written at once, as a TUN device without a writer thread does
        }
        byte[] data = new byte[out.dataLength];
        if (out.dataLength > 0) {
            out.data.getBytes(out.dataIndex, data);
        }
        if (out.sourceAddress != LOCAL || out.destinationAddress != REMOTE) {
            throw new AssertionError("segment sent between wrong addresses: " + out);
        }
        Segment header = new Segment().copyFrom(out);
        header.data = null;
        sent.add(new Sent(out.flags, out.seq, out.ack, out.window, header, data, out.sourcePort, out.destinationPort));
    }

    private void expect(ScriptSegment want) {
        Sent got = sent.poll();
        if (got == null) {
            fail("expected " + render(want) + " but nothing was sent");
        }
        if (!issKnown && (got.flags & Segment.SYN) != 0) {
            iss = got.seq - (int) want.seq;
            issKnown = true;
        }
        if (!tsKnown && want.timestamps && got.header.hasTimestamps) {
            tsBase = got.header.tsVal - (int) want.tsVal;
            tsKnown = true;
        }
        String mismatch = null;
        int relSeq = got.seq - (issKnown ? iss : 0);
        if (got.flags != want.flags) {
            mismatch = "flags";
        } else if (relSeq != (int) want.seq) {
            mismatch = "seq";
        } else if (got.data.length != want.length) {
            mismatch = "length";
        } else if ((want.flags & Segment.ACK) != 0 && want.ack != null && got.ack != (int) want.ack.longValue()) {
            mismatch = "ack";
        } else if (want.window != null && got.window != want.window) {
            mismatch = "window";
        } else if (want.options != null && !want.options.equals(options(got))) {
            mismatch = "options";
        } else if (got.srcPort != localPort || got.dstPort != remotePort) {
            mismatch = "ports";
        }
        if (mismatch != null) {
            fail("expected " + render(want) + " but sent " + render(got) + " (" + mismatch + " differ)");
        }
        for (int i = 0; i < got.data.length; i++) {
            long offset = Integer.toUnsignedLong(got.seq - iss - 1) + i;
            byte written = echoApp ? peerByte(irs + 1 + (int) offset) : ourByte(offset);
            if (got.data[i] != written) {
                fail("sent data differs from what was written at stream offset " + offset);
            }
        }
    }

    private void expectNothingPending() {
        if (!sent.isEmpty()) {
            fail("unexpected segment sent: " + render(sent.peek()));
        }
    }

    String render(Sent s) {
        int rel = s.seq - (issKnown ? iss : 0);
        StringBuilder sb = new StringBuilder("> ").append(ScriptSegment.flagsText(s.flags)).append(' ')
                .append(Integer.toUnsignedString(rel)).append(':').append(Integer.toUnsignedString(rel + s.data.length))
                .append('(').append(s.data.length).append(')');
        if ((s.flags & Segment.ACK) != 0) {
            sb.append(" ack ").append(Integer.toUnsignedString(s.ack));
        }
        sb.append(" win ").append(s.window);
        String options = options(s);
        if (!options.isEmpty()) {
            sb.append(" <").append(options).append('>');
        }
        return sb.toString();
    }

    private static String render(ScriptSegment s) {
        return (s.inbound ? "< " : "> ") + ScriptSegment.flagsText(s.flags) + ' ' + s.seq + ':' + (s.seq + s.length)
                + '(' + s.length + ')' + (s.ack != null ? " ack " + s.ack : "") + (s.window != null ? " win " + s.window : "")
                + (s.options != null ? " <" + s.options + '>' : "");
    }

    private String pendingText() {
        if (sent.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\n  still unmatched:");
        for (Sent s : sent) {
            sb.append("\n    ").append(render(s));
        }
        return sb.toString();
    }

    // --- application side -------------------------------------------------------------------------

    private final ConnectionHandler handler = new ConnectionHandler() {
        @Override
        public void onOpen(TcpChannel channel) {
            opened = (Connection) channel;
            events.add("open");
            if (echoApp) {
                echo(channel);
            }
        }

        @Override
        public void onReadable(TcpChannel channel) {
            events.add("readable");
            if (echoApp) {
                echo(channel);
            }
        }

        @Override
        public void onWritable(TcpChannel channel) {
            events.add("writable");
        }

        @Override
        public void onClosed(TcpChannel channel, CloseReason reason) {
            events.add("closed " + reason);
        }
    };

    /**
     * {@code app echo}: what an echo service does, inside the callbacks: read everything, write it
     * back, half-close after the peer's FIN. What it sends is the peer's own bytes.
     */
    private boolean echoApp;

    private void echo(TcpChannel channel) {
        ByteBuf b;
        while ((b = channel.read(65536)) != null) {
            read += b.readableBytes();
            check(channel.write(b) >= 0 && !b.isReadable(), "the echo did not fit the send buffer");
            b.release();
        }
        if (channel.isInputShutdown()) {
            channel.shutdownOutput();
        }
    }

    /** The connection the script is about: the 4-tuple in use. */
    Connection current() {
        return layer.find(LOCAL, localPort, REMOTE, remotePort);
    }

    private TcpChannel channel() {
        Connection c = current();
        if (c != null) {
            return c;
        }
        if (active != null && active.remotePort() == remotePort) {
            return active; // closed, but the application still holds it
        }
        if (opened != null && opened.remotePort() == remotePort) {
            return opened;
        }
        throw new AssertionError("no connection");
    }

    private Connection opened;

    private ByteBuf pattern(int n) {
        ByteBuf b = Unpooled.buffer(n);
        for (int i = 0; i < n; i++) {
            b.writeByte(ourByte(written + i));
        }
        return b;
    }

    private void readAndCheck(int n) {
        TcpChannel ch = channel();
        if (ch.readableBytes() < n) {
            fail("only " + ch.readableBytes() + " bytes readable, wanted " + n);
        }
        ByteBuf b = ch.read(n);
        try {
            check(b != null && b.readableBytes() == n, "read returned " + (b == null ? "null" : b.readableBytes()));
            for (int i = 0; i < n; i++) {
                byte want = peerByte(irs + 1 + (int) (read + i));
                if (b.getByte(b.readerIndex() + i) != want) {
                    fail("received data differs at stream offset " + (read + i));
                }
            }
            read += n;
        } finally {
            if (b != null) {
                b.release();
            }
        }
    }

    static byte peerByte(int seq) {
        return (byte) (seq * 131 + (seq >>> 11) + 17);
    }

    static byte ourByte(long offset) {
        return (byte) (offset * 37 + (offset >>> 9) + 11);
    }

    // --- assertions -------------------------------------------------------------------------------

    private void event(String what) {
        boolean negate = what.startsWith("!");
        String name = negate ? what.substring(1).trim() : what;
        int i = events.indexOf(name);
        if (negate) {
            check(i < 0, "event `" + name + "` happened; events: " + events);
        } else {
            check(i >= 0, "no event `" + name + "`; events: " + events);
            events.remove(i);
        }
    }

    private void drop(TcpDrop reason, int times) {
        long have = counters.get(reason);
        long declared = declaredDrops.getOrDefault(reason, 0L);
        check(have - declared == times, "drop " + reason + " counted " + (have - declared) + " times, expected " + times);
        declaredDrops.put(reason, have);
    }

    private void checkAllDropsDeclared() {
        for (TcpDrop reason : TcpDrop.values()) {
            long undeclared = counters.get(reason) - declaredDrops.getOrDefault(reason, 0L);
            check(undeclared == 0, "undeclared drop " + reason + " x" + undeclared);
        }
    }

    private void variable(String name, long want) {
        Connection c = current();
        check(c != null, "no connection");
        long have = switch (name) {
            case "SND.UNA" -> Integer.toUnsignedLong(c.sndUna - iss);
            case "SND.NXT" -> Integer.toUnsignedLong(c.sndNxt - iss);
            case "RCV.NXT" -> Integer.toUnsignedLong(c.rcvNxt);
            case "SND.WND" -> c.sndWnd;
            case "RCV.WND" -> c.rcvWnd();
            case "SND.MSS" -> c.sndMss;
            case "CWND" -> c.recovery.cc.cwnd();
            case "SSTHRESH" -> c.recovery.cc.ssthresh();
            case "RTO.MS" -> TimeUnit.NANOSECONDS.toMillis(c.retransmitTimer.rtoNanos());
            case "SND.WSCALE" -> c.sndWscale;
            case "RCV.WSCALE" -> c.rcvWscale;
            case "TS.RECENT" -> Integer.toUnsignedLong(c.timestamps.recent);
            default -> throw new IllegalArgumentException("unknown variable " + name);
        };
        check(have == want, name + " is " + have + ", expected " + want);
    }

    private void advance(long nanos) {
        long target = clock.nanos() + nanos;
        while (timers.nextDeadline() - target <= 0) {
            long d = timers.nextDeadline();
            if (d > clock.nanos()) {
                clock.setNanos(d);
            }
            timers.runExpired();
        }
        clock.setNanos(target);
    }

    static long parseDuration(String s) {
        if (s.endsWith("ms")) {
            return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("us")) {
            return TimeUnit.MICROSECONDS.toNanos(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("min")) {
            return TimeUnit.MINUTES.toNanos(Long.parseLong(s.substring(0, s.length() - 3)));
        }
        if (s.endsWith("s")) {
            return TimeUnit.SECONDS.toNanos(Long.parseLong(s.substring(0, s.length() - 1)));
        }
        throw new IllegalArgumentException("bad duration " + s);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            fail(message);
        }
    }
}
