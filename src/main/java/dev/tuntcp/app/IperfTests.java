package dev.tuntcp.app;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The one iperf3 test a server runs at a time, shared by the {@link IperfService}s of every event
 * loop of a multi-queue host ({@code serve --queues N}): the control connection and each data
 * connection of a test are steered to loops by their own 4-tuples, so they meet here. The slot is
 * the only state the loops share; the test itself lives on its control connection's loop and the
 * other loops reach it through tasks ({@link IperfSession}).
 */
public final class IperfTests {
    private final AtomicReference<IperfSession> running = new AtomicReference<>();

    /** The running test, or null. */
    IperfSession current() {
        return running.get();
    }

    /** Makes {@code session} the running test if none runs; false when another got there first. */
    boolean claim(IperfSession session) {
        return running.compareAndSet(null, session);
    }

    /** Replaces the stale test {@code old} by {@code session}; false when the slot changed meanwhile. */
    boolean replace(IperfSession old, IperfSession session) {
        return running.compareAndSet(old, session);
    }

    /** {@code session} is over: the next client may start one. */
    void ended(IperfSession session) {
        running.compareAndSet(session, null);
    }
}
