package dev.tuntcp.lab;

import dev.tuntcp.link.Netns;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TraceSink;
import dev.tuntcp.trace.TraceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's state of one connection inside the lab's namespace, as {@code ss -tan} would show
 * it, recorded as {@link StateChange#peerObserved} observations in the trace.
 *
 * <p>How: an anchor thread enters the namespace and stays there parked; the kernel's socket table of
 * that namespace is then {@code /proc/PID/task/TID/net/tcp} (and {@code tcp6}, where Java's
 * sockets live) of the anchor (the "net" directory of a
 * task shows its network namespace), which any thread may read. The event loop samples it right
 * after each segment has passed the lab's link ({@link LabLink} calls {@link #sample}), so every
 * observation lands in the trace in its true place between the segments: after a segment we sent
 * (the kernel processes a TUN write before {@code write} returns, in the common case), before a
 * segment the kernel sent. A state that starts and ends between two samples is not seen; the
 * ladders infer it (marked *). Only changes are recorded.
 */
public final class KernelWatch implements AutoCloseable {
    private final EventLoop loop;
    private final TraceSink trace;
    private long originNanos;
    private final Path table;
    private final Path table6;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread anchor;
    private final List<StateChange> observations = new ArrayList<>();
    private volatile ConnectionId watched;
    private TraceState last;
    private volatile String failure;
    private final java.util.concurrent.atomic.AtomicBoolean samplePosted = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Starts the anchor thread in {@code namespace}. {@code trace} receives the observations, on the
     * loop's thread.
     */
    public KernelWatch(String namespace, EventLoop loop, TraceSink trace, long originNanos) throws Exception {
        this.loop = loop;
        this.trace = trace;
        this.originNanos = originNanos;
        CompletableFuture<Path> where = new CompletableFuture<>();
        this.anchor = Netns.threadFactory(namespace).newThread(() -> {
            try {
                where.complete(Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")))
                        .resolve("net/tcp"));
            } catch (IOException | RuntimeException e) {
                where.completeExceptionally(e);
                return;
            }
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        anchor.setName("lab-kernel-anchor");
        anchor.start();
        this.table = where.get(10, TimeUnit.SECONDS);
        this.table6 = table.resolveSibling("tcp6");
    }

    /** Counts trace time from {@code nanos} (loop clock) from now on. Call on the event loop. */
    public void setOrigin(long nanos) {
        this.originNanos = nanos;
    }

    /** Watches connection {@code id} from now on (seen from the stack: remote = the kernel). */
    public void watch(ConnectionId id) {
        watched = id;
    }

    public ConnectionId watched() {
        return watched;
    }

    /**
     * Reads the kernel's table after a packet passed the link: after one towards the kernel
     * ({@code OUT}) the state is recorded even when unchanged — it says what that segment did to the
     * kernel, which may be nothing — otherwise only a change is. Call on the event loop.
     */
    public void afterPacket(dev.tuntcp.trace.Direction direction) {
        sample(direction == dev.tuntcp.trace.Direction.OUT);
    }

    /** Reads the kernel's table now and records a change. Call on the event loop. */
    public void sample() {
        sample(false);
    }

    private void sample(boolean always) {
        ConnectionId id = watched;
        if (id == null || failure != null) {
            return;
        }
        TraceState state;
        try {
            state = KernelSocketTable.stateOf(KernelSocketTable.parse(Files.readString(table)
                    + (Files.exists(table6) ? Files.readString(table6) : "")), id);
        } catch (IOException | RuntimeException e) {
            failure = "cannot read the kernel's socket table " + table + ": " + e.getMessage();
            return;
        }
        if (state == last && !always) {
            return;
        }
        last = state;
        StateChange sc = StateChange.peerObserved(loop.clock().nanos() - originNanos, id, state);
        synchronized (observations) {
            observations.add(sc);
        }
        trace.accept(sc);
    }

    /** Every observed change so far, in order. */
    public List<StateChange> observations() {
        synchronized (observations) {
            return List.copyOf(observations);
        }
    }

    /** The states observed so far, in order. */
    public List<TraceState> states() {
        return observations().stream().map(StateChange::to).toList();
    }

    /**
     * Waits until the kernel is in {@code state} — its latest observation, or one made while waiting
     * (a state may come and go between two polls of the caller) — sampling on the
     * event loop about every half millisecond; true if it was within {@code timeout}.
     */
    public boolean awaitSeen(TraceState state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = observations().size();
        while (true) {
            List<TraceState> seen = states();
            if (!seen.isEmpty() && seen.get(seen.size() - 1) == state || seen.subList(Math.min(from, seen.size()),
                    seen.size()).contains(state)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0 || failure != null || loop.isTerminated()) {
                return false;
            }
            if (samplePosted.compareAndSet(false, true)) {
                loop.execute(() -> {
                    samplePosted.set(false);
                    sample();
                });
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // sampling period, not a wait for an event
        }
    }

    /** The latest observed state, or null before the first. */
    public TraceState latest() {
        List<TraceState> seen = states();
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    /** Why sampling failed, or null. */
    public String failure() {
        return failure;
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            anchor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
