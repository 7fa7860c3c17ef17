package dev.tuntcp.app;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.stack.Clock;
import dev.tuntcp.stack.Counters;
import java.util.concurrent.RejectedExecutionException;

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
 * <p>One instance serves one event loop. On a multi-queue host ({@code serve --queues N}) each loop
 * has its own instance, all sharing one {@link IperfTests}: a test's data connections may live on
 * other loops than its control connection; the test runs on the control connection's loop and talks
 * to the others only through tasks ({@link #onLoop}), each connection's counting stays on its own loop.
 */
public final class IperfService implements ConnectionHandlerFactory {
    public static final int PORT = IperfProtocol.PORT;
    static final long IDLE_LIMIT_NANOS = 30_000_000_000L;

    final Counters counters;
    final Clock clock;
    /** This service's loop, or null when everything runs on one loop (then tasks run inline). */
    private final SocketStack loop;
    private final IperfTests tests;

    public IperfService(Counters counters) {
        this(counters, Clock.system());
    }

    public IperfService(Counters counters, Clock clock) {
        this(counters, clock, null, new IperfTests());
    }

    /**
     * The service of one of several loops: {@code loop} runs this service's connections and counts
     * into {@code counters}; {@code tests} is shared by the services of every loop.
     */
    public IperfService(Counters counters, Clock clock, SocketStack loop, IperfTests tests) {
        this.counters = counters;
        this.clock = clock;
        this.loop = loop;
        this.tests = tests;
    }

    /**
     * Runs {@code task} on this service's loop: at once when called there (or when there is only one
     * loop), else as a task. A loop that has stopped drops it: its connections are being reset.
     */
    void onLoop(Runnable task) {
        if (loop == null || loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopped) {
            // serve is stopping; the connections of that loop are aborted with it
        }
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
        for (int attempt = 0; attempt < 3; attempt++) {
            IperfSession session = tests.current();
            if (session != null && session.isStale(now)) {
                IperfSession fresh = new IperfSession(this, connection, now);
                if (tests.replace(session, fresh)) {
                    counters.increment(IperfCounter.STALE_TESTS_ENDED);
                    session.endOnItsLoop(false);
                    return new Admission(IperfConnection.Role.CONTROL, fresh);
                }
                continue; // the slot changed under us: look again
            }
            if (session == null) {
                IperfSession fresh = new IperfSession(this, connection, now);
                if (tests.claim(fresh)) {
                    return new Admission(IperfConnection.Role.CONTROL, fresh);
                }
                continue;
            }
            if (session.acceptsStreams()) {
                return new Admission(IperfConnection.Role.STREAM_CANDIDATE, session);
            }
            break;
        }
        counters.increment(IperfCounter.BUSY_DENIED);
        return new Admission(IperfConnection.Role.DENIED, null);
    }

    /** The test is over: the next client may start one. Any loop. */
    void ended(IperfSession ended) {
        tests.ended(ended);
    }
}
