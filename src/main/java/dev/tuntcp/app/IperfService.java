package dev.tuntcp.app;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.stack.Clock;
import dev.tuntcp.stack.Counters;

/**
 * An iperf3 server on TCP port 5201 ({@code iperf3 -s} as the stack): an unmodified
 * {@code iperf3 -c ADDR} measures the stack's receive path, {@code -R} its send path,
 * {@code --bidir} both, with {@code -t}, {@code -n}, {@code -k}, {@code -l}, {@code -P},
 * {@code -O}, {@code -N}, {@code -J} and {@code --get-server-output}. The protocol is iperf3's
 * ({@link IperfProtocol}); what it cannot honour is refused with an error the client prints
 * ({@link IperfParameters}).
 *
 * <p>One test at a time, as iperf3's server: a client that arrives while a test runs gets
 * ACCESS_DENIED. The service has no timers; instead a test whose client went silent (no control
 * message and no data for {@link #IDLE_LIMIT_NANOS}, or far past its duration) is ended when the next
 * client arrives, so a vanished client can never make the server busy for good.
 *
 * <p>All of it runs on the stack's event loop; one instance serves one loop.
 */
public final class IperfService implements ConnectionHandlerFactory {
    public static final int PORT = IperfProtocol.PORT;
    static final long IDLE_LIMIT_NANOS = 30_000_000_000L;

    final Counters counters;
    final Clock clock;
    private IperfSession session;

    public IperfService(Counters counters) {
        this(counters, Clock.system());
    }

    public IperfService(Counters counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public ConnectionHandler newHandler() {
        return new IperfConnection(this);
    }

    /** What a newly opened connection is, and the test it belongs to. */
    record Admission(IperfConnection.Role role, IperfSession session) {
    }

    Admission admit(IperfConnection connection) {
        long now = clock.nanos();
        if (session != null && session.isStale(now)) {
            counters.increment(IperfCounter.STALE_TESTS_ENDED);
            session.end(false);
        }
        if (session == null) {
            session = new IperfSession(this, connection, now);
            return new Admission(IperfConnection.Role.CONTROL, session);
        }
        if (session.acceptsStreams()) {
            return new Admission(IperfConnection.Role.STREAM_CANDIDATE, session);
        }
        counters.increment(IperfCounter.BUSY_DENIED);
        return new Admission(IperfConnection.Role.DENIED, null);
    }

    /** The test is over: the next client may start one. */
    void ended(IperfSession ended) {
        if (session == ended) {
            session = null;
        }
    }
}
