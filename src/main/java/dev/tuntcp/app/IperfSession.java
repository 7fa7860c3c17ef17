package dev.tuntcp.app;

import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import dev.tuntcp.stack.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One iperf3 test, driven by its control connection (the exchange is in {@link IperfProtocol}):
 * reads the cookie and the parameters, admits the data connections, starts and stops the test and
 * exchanges the results. Every control read is pulled incrementally, so a message split over any
 * number of segments is fine, and every control write is queued and flushed as the send buffer
 * allows. Bad input ends the test with SERVER_ERROR (or, past the parameters, by closing), never an
 * exception or a hang.
 *
 * <p>Threads ({@code serve --queues N}): the session belongs to its control connection's loop (the
 * "home" loop, {@link #service}); its data connections may live on other loops. Those call only
 * {@link #touch}, {@link #isCounting}, {@link #isRunning}, {@link #measureStartNanos},
 * {@link #reserve}, {@link #unreserve} and {@link #requestJoin}, which read volatile or atomic
 * state or hop to the home loop; the home loop reaches a stream's connection only through a task on
 * that connection's loop ({@link IperfConnection#onOwnLoop}). The results wait for a round trip
 * through every stream's loop, so every byte those loops had read is counted. With one loop every
 * hop runs inline and the order of events is exactly the single-threaded one.
 */
final class IperfSession {
    enum Phase {
        COOKIE,
        PARAMETERS,
        CREATING_STREAMS,
        RUNNING,
        /** TEST_END seen, EXCHANGE_RESULTS sent: waiting for the client's results. */
        RESULTS,
        /** The client's results arrived: waiting for every stream's loop to count what it read last. */
        COLLECTING,
        /** DISPLAY_RESULTS sent: waiting for IPERF_DONE. */
        DISPLAYED,
        /** SERVER_ERROR queued: closing once it is sent. */
        FAILED,
        ENDED
    }

    private final IperfService service;
    private final IperfConnection control;
    private final byte[] cookie = new byte[IperfProtocol.COOKIE_SIZE];
    private final List<IperfStream> streams = new ArrayList<>();
    /** Written by the home loop only; read by the streams' loops. */
    private volatile Phase phase = Phase.COOKIE;
    /** Set before the phase moves past PARAMETERS, so a reader that saw that phase sees it. */
    private volatile IperfParameters parameters;

    private byte[] in = new byte[64];
    private int inHave;
    private byte[] out = new byte[256];
    private int outLength;

    private volatile long lastActivityNanos;
    private long startNanos;
    /** When the measured interval starts: after the --omit seconds. Set before the phase is RUNNING. */
    private volatile long measureStartNanos;
    private long endNanos;
    /** Bytes of the -n/-k budget the sending streams (on any loop) have reserved or sent. */
    private final AtomicLong totalSent = new AtomicLong();
    /** Streams whose loops have not yet answered the results' collection round. */
    private int collecting;
    private long[] cpuAtStart;
    private double[] cpuUse = {0, 0, 0};

    IperfSession(IperfService service, IperfConnection control, long now) {
        this.service = service;
        this.control = control;
        this.lastActivityNanos = now;
    }

    IperfParameters parameters() {
        return parameters;
    }

    boolean acceptsStreams() {
        return phase == Phase.CREATING_STREAMS;
    }

    boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /**
     * Whether received data still counts: while running, and after TEST_END until the results go
     * out. The client stops writing before it sends TEST_END, but what it wrote last may still be in
     * flight on the data connections; counting it for the round trip of the results exchange keeps
     * short tests ({@code -k}, {@code -n}) from losing their tail.
     */
    boolean isCounting() {
        Phase p = phase;
        return p == Phase.RUNNING || p == Phase.RESULTS || p == Phase.COLLECTING;
    }

    /** True when the client has been silent too long, or the test overran its duration by far. */
    boolean isStale(long now) {
        if (now - lastActivityNanos > IperfService.IDLE_LIMIT_NANOS) {
            return true;
        }
        return phase == Phase.RUNNING && parameters.timeSeconds() > 0
                && now - startNanos > (parameters.timeSeconds() + parameters.omitSeconds() + 60L) * 1_000_000_000L;
    }

    /** Something happened on one of the test's connections; any loop. Returns the time it read. */
    long touch(Clock clock) {
        long now = clock.nanos();
        lastActivityNanos = now;
        return now;
    }

    private void touch() {
        touch(service.clock);
    }

    /** When the measured interval starts (after the --omit seconds); meaningful once counting. */
    long measureStartNanos() {
        return measureStartNanos;
    }

    /**
     * Reserves up to {@code want} bytes of the {@code -n}/{@code -k} budget for one write of a sending
     * stream (on any loop); unlimited without a budget. Reserving before writing (and returning what
     * the write did not take, {@link #unreserve}) keeps streams on different loops from both spending
     * the last bytes: the total sent is the budget exactly.
     */
    long reserve(long want) {
        long budget = parameters.byteBudget();
        if (budget == 0) {
            return Long.MAX_VALUE;
        }
        while (true) {
            long taken = totalSent.get();
            long grant = Math.min(want, budget - taken);
            if (grant <= 0) {
                return 0;
            }
            if (totalSent.compareAndSet(taken, taken + grant)) {
                return grant;
            }
        }
    }

    /** Gives back the part of a reservation a write did not take. */
    void unreserve(long unused) {
        if (unused > 0 && parameters.byteBudget() != 0) {
            totalSent.addAndGet(-unused);
        }
    }

    // --- data connections ------------------------------------------------------------------------

    /**
     * A candidate data connection (on any loop) presented {@code offered}: the home loop decides
     * ({@link #join}) and the connection hears the answer on its own loop
     * ({@link IperfConnection#joined}).
     */
    void requestJoin(IperfConnection connection, byte[] offered) {
        service.onLoop(() -> {
            IperfStream stream = join(connection, offered);
            connection.onOwnLoop(() -> connection.joined(stream));
        });
    }

    /**
     * A candidate data connection presented {@code offered}: it becomes the next stream, or null when
     * the cookie is not this test's or every stream has joined (the caller then sends ACCESS_DENIED,
     * as iperf3's {@code iperf_tcp_accept} does).
     */
    IperfStream join(IperfConnection connection, byte[] offered) {
        if (phase != Phase.CREATING_STREAMS || !Arrays.equals(cookie, offered)
                || streams.size() >= parameters.streams()) {
            connection.service().counters.increment(IperfCounter.STREAMS_DENIED);
            return null;
        }
        // iperf_add_stream numbers streams 1, 3, 4, 5, …; the client does the same, in the same order.
        int id = streams.isEmpty() ? 1 : streams.size() + 2;
        IperfStream stream = new IperfStream(id, streams.size() >= parameters.receiveStreams(), connection, this);
        streams.add(stream);
        if (streams.size() == parameters.streams()) {
            start();
        }
        return stream;
    }

    private void start() {
        queue(IperfProtocol.TEST_START);
        queue(IperfProtocol.TEST_RUNNING);
        startNanos = service.clock.nanos();
        measureStartNanos = startNanos + parameters.omitSeconds() * 1_000_000_000L;
        cpuAtStart = IperfCpu.sample();
        phase = Phase.RUNNING;
        flush(control.channel());
        for (IperfStream s : streams) {
            if (s.sends) {
                s.connection.onOwnLoop(s.connection::kick);
            }
        }
    }

    /** TEST_END: the measurement ends now; the data connections close as iperf3's server closes them. */
    private void stop() {
        touch();
        endNanos = service.clock.nanos();
        cpuUse = IperfCpu.usage(cpuAtStart, IperfCpu.sample(), endNanos - startNanos);
        closeStreams(false, true);
    }

    private void closeStreams(boolean abort, boolean sendingOnly) {
        for (IperfStream s : streams) {
            if (sendingOnly && !s.sends) {
                continue;
            }
            if (s.closed && !abort) {
                continue;
            }
            s.closed = true;
            s.connection.onOwnLoop(() -> close(s, abort));
        }
    }

    /** On the stream's loop: counts what has arrived, then closes (or resets) its connection. */
    private static void close(IperfStream s, boolean abort) {
        IperfConnection c = s.connection;
        if (c.isClosed()) {
            return;
        }
        if (!abort && !s.sends) {
            c.kick(); // count what has arrived before it closes
        }
        if (!c.isClosed()) {
            if (abort) {
                c.channel().abort();
            } else {
                c.finishGracefully();
            }
        }
    }

    /**
     * The client's results are in: close every stream on its loop (counting what it read last), and
     * once every loop has answered, send ours. Inline with one loop.
     */
    private void collectResults() {
        phase = Phase.COLLECTING;
        collecting = streams.size() + 1;
        for (IperfStream s : streams) {
            boolean wasClosed = s.closed;
            s.closed = true;
            s.connection.onOwnLoop(() -> {
                if (!wasClosed) {
                    close(s, false);
                }
                service.onLoop(this::collected);
            });
        }
        collected();
    }

    /** One loop has counted; the last one sends the results. Home loop. */
    private void collected() {
        if (--collecting > 0 || phase != Phase.COLLECTING) {
            return;
        }
        queueJson(IperfResults.of(parameters, streams, measureStartNanos, endNanos, cpuUse));
        queue(IperfProtocol.DISPLAY_RESULTS);
        service.counters.increment(IperfCounter.TESTS_COMPLETED);
        phase = Phase.DISPLAYED;
        if (!control.isClosed()) {
            control.kick(); // flushes the results (at once when this is inside the control's pump)
        }
    }

    /** Ends the test on its home loop, from any loop (a stale test replaced by a new client). */
    void endOnItsLoop(boolean normal) {
        service.onLoop(() -> end(normal));
    }

    /** A connection of this test is gone (its handler released); on that connection's loop. */
    void gone(IperfConnection connection) {
        if (connection == control && phase != Phase.ENDED) {
            if (phase != Phase.DISPLAYED && phase != Phase.FAILED) {
                service.counters.increment(IperfCounter.TESTS_ABANDONED);
            }
            finish(phase == Phase.DISPLAYED || phase == Phase.FAILED, false);
        }
    }

    /** Ends the test now: gracefully after a finished exchange, by reset otherwise. */
    void end(boolean normal) {
        finish(normal, true);
    }

    private void finish(boolean normal, boolean closeControl) {
        if (phase == Phase.ENDED) {
            return;
        }
        phase = Phase.ENDED;
        service.ended(this);
        closeStreams(!normal, false);
        if (closeControl && !control.isClosed()) {
            if (normal) {
                control.finishGracefully();
            } else {
                control.channel().abort();
            }
        }
    }

    // --- the control connection ------------------------------------------------------------------

    void pumpControl(TcpChannel channel) {
        touch();
        flush(channel);
        while (phase != Phase.ENDED && phase != Phase.FAILED && step(channel)) {
            // each step consumed one message
        }
        flush(channel);
        if (phase == Phase.FAILED && outLength == 0) {
            end(true);
        } else if (phase != Phase.ENDED && channel.isInputShutdown()) {
            if (phase != Phase.DISPLAYED) {
                service.counters.increment(IperfCounter.TESTS_ABANDONED);
            }
            end(phase == Phase.DISPLAYED);
        }
    }

    /** Handles one complete message if it has arrived; false when more input is needed. */
    private boolean step(TcpChannel channel) {
        switch (phase) {
            case COOKIE -> {
                if (!fill(channel, IperfProtocol.COOKIE_SIZE)) {
                    return false;
                }
                System.arraycopy(in, 0, cookie, 0, IperfProtocol.COOKIE_SIZE);
                inHave = 0;
                queue(IperfProtocol.PARAM_EXCHANGE);
                phase = Phase.PARAMETERS;
            }
            case PARAMETERS -> {
                Object json = readJson(channel);
                if (json == null) {
                    return false;
                }
                accept(IperfParameters.from(json));
            }
            case RESULTS -> {
                // The client's own figures: only their arrival matters to the server.
                if (readJson(channel) == null) {
                    return false;
                }
                collectResults();
            }
            case COLLECTING -> {
                return false; // nothing more is expected until our results are out
            }
            default -> {
                if (!fill(channel, 1)) {
                    return false;
                }
                inHave = 0;
                onState(in[0]);
            }
        }
        return true;
    }

    private void accept(IperfParameters.Outcome outcome) {
        if (outcome.error() != null) {
            service.counters.increment(IperfCounter.TESTS_REFUSED);
            fail(outcome.error());
            return;
        }
        parameters = outcome.parameters();
        service.counters.increment(IperfCounter.TESTS_STARTED);
        queue(IperfProtocol.CREATE_STREAMS);
        phase = Phase.CREATING_STREAMS;
    }

    /** A state byte from the client (iperf_handle_message_server). */
    private void onState(byte state) {
        switch (state) {
            case IperfProtocol.TEST_START -> {
                // iperf3's server ignores it too
            }
            case IperfProtocol.TEST_END -> {
                if (phase == Phase.RUNNING || phase == Phase.CREATING_STREAMS) {
                    if (phase == Phase.CREATING_STREAMS) {
                        startNanos = service.clock.nanos();
                        measureStartNanos = startNanos;
                        cpuAtStart = IperfCpu.sample();
                    }
                    stop();
                    queue(IperfProtocol.EXCHANGE_RESULTS);
                    phase = Phase.RESULTS;
                } else {
                    protocolError();
                }
            }
            case IperfProtocol.IPERF_DONE -> end(phase == Phase.DISPLAYED);
            case IperfProtocol.CLIENT_TERMINATE -> {
                service.counters.increment(IperfCounter.TESTS_ABANDONED);
                end(false);
            }
            default -> protocolError();
        }
    }

    private void protocolError() {
        service.counters.increment(IperfCounter.PROTOCOL_ERRORS);
        fail(IperfProtocol.Error.UNKNOWN_MESSAGE);
    }

    /** SERVER_ERROR, i_errno, errno (0: no system call failed); the test closes once it is sent. */
    private void fail(IperfProtocol.Error error) {
        queue(IperfProtocol.SERVER_ERROR);
        queueInt(error.code);
        queueInt(0);
        phase = Phase.FAILED;
    }

    // --- framing ---------------------------------------------------------------------------------

    /** Reads until {@code in} holds {@code n} bytes; false if the channel has no more yet. */
    private boolean fill(TcpChannel channel, int n) {
        if (in.length < n) {
            in = Arrays.copyOf(in, n);
        }
        while (inHave < n) {
            ByteBuf data = channel.read(n - inHave);
            if (data == null) {
                return false;
            }
            int k = data.readableBytes();
            data.readBytes(in, inHave, k);
            data.release();
            inHave += k;
        }
        return true;
    }

    /**
     * A JSON message (4-byte big-endian length, then the text), parsed; null until it has all
     * arrived. A message too long or not JSON fails the test (the result is then null as well).
     */
    private Object readJson(TcpChannel channel) {
        if (!fill(channel, 4)) {
            return null;
        }
        long length = ((in[0] & 0xffL) << 24) | ((in[1] & 0xff) << 16) | ((in[2] & 0xff) << 8) | (in[3] & 0xff);
        if (length > IperfProtocol.MAX_JSON_BYTES) {
            service.counters.increment(IperfCounter.PROTOCOL_ERRORS);
            fail(IperfProtocol.Error.RECEIVE_PARAMETERS);
            return null;
        }
        if (!fill(channel, 4 + (int) length)) {
            return null;
        }
        inHave = 0;
        IperfJson.Parsed parsed = IperfJson.parse(new String(in, 4, (int) length, StandardCharsets.UTF_8));
        if (!parsed.ok()) {
            service.counters.increment(IperfCounter.PROTOCOL_ERRORS);
            fail(IperfProtocol.Error.RECEIVE_PARAMETERS);
            return null;
        }
        return parsed.value();
    }

    private void queue(byte state) {
        ensure(1);
        out[outLength++] = state;
    }

    private void queueInt(int value) {
        ensure(4);
        out[outLength++] = (byte) (value >>> 24);
        out[outLength++] = (byte) (value >>> 16);
        out[outLength++] = (byte) (value >>> 8);
        out[outLength++] = (byte) value;
    }

    private void queueJson(Object json) {
        byte[] text = IperfJson.write(json).getBytes(StandardCharsets.UTF_8);
        queueInt(text.length);
        ensure(text.length);
        System.arraycopy(text, 0, out, outLength, text.length);
        outLength += text.length;
    }

    private void ensure(int more) {
        if (outLength + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + more));
        }
    }

    private void flush(TcpChannel channel) {
        if (outLength == 0 || control.isClosed()) {
            return;
        }
        int taken = channel.write(Unpooled.wrappedBuffer(out, 0, outLength));
        System.arraycopy(out, taken, out, 0, outLength - taken);
        outLength -= taken;
    }
}
