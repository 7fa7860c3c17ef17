package dev.tuntcp.trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Keeps events in arrival order for rendering after the fact (the demo's and the lab's ladders).
 * The stack's event loop writes; any other thread may read a {@link #snapshot()} or wait for an
 * event with {@link #await} (how a scenario synchronises with the stack without sleeping).
 *
 * <p>Bounded: once {@code capacity} events are held, further events are counted in
 * {@link #overflow()} and not kept — the beginning of a connection (its handshake) is what a ladder
 * needs most, and a long transfer must not grow the heap without limit.
 */
public final class CollectingSink implements TraceSink {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final List<TraceEvent> events = new ArrayList<>();
    private final int capacity;
    private long overflow;

    /** A sink that keeps at most {@code capacity} events (the first ones). */
    public CollectingSink(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** A sink keeping up to a million events, plenty for a demo or a lab scenario. */
    public CollectingSink() {
        this(1_000_000);
    }

    @Override
    public void accept(TraceEvent event) {
        if (event == null) {
            return;
        }
        lock.lock();
        try {
            if (events.size() < capacity) {
                events.add(event);
                added.signalAll();
            } else {
                overflow++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A copy of all events kept so far, in order. */
    public List<TraceEvent> snapshot() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the events of one connection (plus annotations that name no connection). */
    public List<TraceEvent> snapshot(ConnectionId connection) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : snapshot()) {
            if (e.connection() == null || e.connection().equals(connection)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Events that arrived after the capacity was reached and were not kept. */
    public long overflow() {
        lock.lock();
        try {
            return overflow;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return events.size();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every event (e.g. between two lab steps). */
    public void clear() {
        lock.lock();
        try {
            events.clear();
            overflow = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until an event matching {@code match} has been kept (including one kept before the call)
     * and returns the first such event, or empty when {@code timeout} passes first or the thread is
     * interrupted (the interrupt flag is restored).
     */
    public Optional<TraceEvent> await(Predicate<? super TraceEvent> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        lock.lock();
        try {
            while (true) {
                if (checked > events.size()) {
                    checked = 0; // cleared meanwhile: look at everything kept since
                }
                for (; checked < events.size(); checked++) {
                    if (match.test(events.get(checked))) {
                        return Optional.of(events.get(checked));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                added.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }
}
