package dev.tuntcp.stack;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The single thread that owns all stack state (DESIGN §1): connections, timers, buffers and counters
 * are touched only here, so the stack needs no locks.
 *
 * <p>One round of the loop: run queued tasks, poll the links, fire expired timers, then sleep in the
 * {@link IoWaiter} until the next timer deadline (or at once when there is more to do). Other threads
 * talk to the stack only through {@link #execute(Runnable)}, which queues the task and wakes the
 * waiter.
 *
 * <p>Two ways to drive it:
 * <ul>
 *   <li>threaded: {@link #start(String)} (or {@link #run()} on a thread of the caller's choosing) and
 *       {@link #stop}; time from a real {@link Clock};</li>
 *   <li>deterministic, for tests: {@link #manual(VirtualClock)} creates a loop owned by the calling
 *       thread with no thread of its own; {@link #runUntilIdle()}, {@link #advanceTo(long)} and
 *       {@link #advanceUntil(BooleanSupplier, long)} process tasks and timers in virtual time.</li>
 * </ul>
 *
 * <p>Graceful stop: {@link #stop(long)} asks the loop to stop; on the loop thread it calls every
 * {@link StopHook#onStop()} once (e.g. close connections with FIN), keeps running until every hook
 * reports {@link StopHook#drained()} or the drain time passes, then calls {@link StopHook#onTerminate()}
 * and returns from {@link #run()}.
 */
public final class EventLoop implements Executor {

    /** Something that must wind down before the loop ends (the TCP layer closing connections). */
    public interface StopHook {
        /** Called once on the loop thread when a stop is requested. */
        void onStop();

        /** True once this part has nothing left to finish; polled every round while stopping. */
        default boolean drained() {
            return true;
        }

        /** Called once on the loop thread after draining, just before the loop ends. */
        default void onTerminate() {
        }
    }

    private enum State { NEW, RUNNING, STOPPING, TERMINATED }

    /** Guards against a timer or task that keeps rescheduling itself at the same instant. */
    private static final long MAX_WORK_PER_INSTANT = 10_000_000;
    /** Tasks, and separately timers, run per round before input gets its turn. */
    private static final int ROUND_BUDGET = 4096;

    private final Clock clock;
    private final TimerQueue timers;
    private final IoWaiter waiter;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final List<IntSupplier> pollers = new ArrayList<>();
    private final List<StopHook> stopHooks = new ArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final boolean manual;

    private volatile long busyPollNanos;
    private volatile BooleanSupplier spinAllowed = () -> true;
    private volatile Thread owner;
    private volatile State state = State.NEW;
    private volatile long drainNanos;
    private long drainDeadline;

    /** A loop for a thread: {@link #start(String)} or {@link #run()} drives it. */
    public EventLoop(Clock clock, IoWaiter waiter) {
        this(clock, waiter, false);
    }

    private EventLoop(Clock clock, IoWaiter waiter, boolean manual) {
        this.clock = clock;
        this.timers = new TimerQueue(clock);
        this.waiter = waiter;
        this.manual = manual;
        if (manual) {
            this.owner = Thread.currentThread();
            this.state = State.RUNNING;
        }
    }

    /**
     * A deterministic loop in virtual time, owned by the calling thread, with no thread of its own.
     * The test drives it with {@link #runUntilIdle()}, {@link #advanceTo(long)} and friends.
     */
    public static EventLoop manual(VirtualClock clock) {
        return new EventLoop(clock, IoWaiter.none(), true);
    }

    public Clock clock() {
        return clock;
    }

    public TimerQueue timers() {
        return timers;
    }

    /**
     * Keeps the loop polling (tasks, links, timers) for up to {@code nanos} after a round that did
     * work before it sleeps in the waiter; 0 (the default) sleeps as soon as a round finds nothing.
     * See {@link BusyPoll}. Takes effect when the loop starts.
     */
    public void busyPoll(long nanos) {
        busyPoll(nanos, () -> true);
    }

    /**
     * As {@link #busyPoll(long)}, spinning only while {@code spinAllowed} holds (asked each round,
     * on the loop thread): e.g. not while a writer thread still has packets to write, when what
     * the loop waits for is that thread and the kernel behind it, which need the CPU.
     */
    public void busyPoll(long nanos, BooleanSupplier spinAllowed) {
        if (nanos < 0) {
            throw new IllegalArgumentException("busy-poll time must be >= 0, was " + nanos);
        }
        busyPollNanos = nanos;
        this.spinAllowed = spinAllowed;
    }

    /** Adds a source of input polled every round, typically {@code link::poll}. Loop thread only. */
    public void addPoller(IntSupplier poller) {
        pollers.add(poller);
    }

    /** Registers a part that must wind down on {@link #stop}. Loop thread (or before start) only. */
    public void addStopHook(StopHook hook) {
        stopHooks.add(hook);
    }

    /** True when the caller is the thread that owns the stack. */
    public boolean inLoop() {
        return Thread.currentThread() == owner;
    }

    /**
     * Queues {@code task} to run on the loop thread; callable from any thread. A task queued from the
     * loop thread itself runs in the next round, never re-entrantly.
     *
     * @throws RejectedExecutionException once the loop has terminated
     */
    @Override
    public void execute(Runnable task) {
        if (state == State.TERMINATED) {
            throw new RejectedExecutionException("event loop has terminated");
        }
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            waiter.wakeup();
        }
    }

    /**
     * Starts a thread that runs the loop: a Netty {@link FastThreadLocalThread}, on which Netty's
     * thread-local pool cache is a field lookup instead of a {@code ThreadLocal}, and its object
     * recycler keeps released buffers in a plain per-thread batch. On any other thread the recycler
     * hands every released {@code PooledByteBuf} through a multi-producer queue that allocates a new
     * chunk every 32 releases: ~5 B per packet (issue 9, "0 B per segment"; docs/benchmarks.md).
     */
    public Thread start(String threadName) {
        Thread t = new FastThreadLocalThread(this::runLoop, threadName);
        claim(t);
        t.start();
        return t;
    }

    /**
     * Runs the loop on the calling thread until a {@link #stop} has drained. Used by {@link #start}
     * and by callers that must run the loop on a particular thread (one entered into a namespace).
     */
    public void run() {
        if (manual) {
            throw new IllegalStateException("a manual loop is driven by runUntilIdle/advanceTo");
        }
        claim(Thread.currentThread());
        runLoop();
    }

    /** Makes {@code thread} the owner; from here on a stop() is honoured with the stop hooks. */
    private synchronized void claim(Thread thread) {
        if (state != State.NEW) {
            throw new IllegalStateException("event loop already started");
        }
        owner = thread;
        state = State.RUNNING;
    }

    private void runLoop() {
        try {
            boolean stopHooksCalled = false;
            BusyPoll busyPoll = new BusyPoll(state == State.RUNNING ? busyPollNanos : 0);
            while (true) {
                int work = runTasks();
                // Input before timers: after the thread was descheduled, the ACKs waiting in the link
                // must be seen before a retransmission or loss-probe timer judges them missing.
                work += pollLinks();
                work += timers.runExpired(ROUND_BUDGET);
                if (state == State.STOPPING) {
                    if (!stopHooksCalled) {
                        stopHooksCalled = true;
                        drainDeadline = clock.nanos() + drainNanos;
                        for (StopHook hook : stopHooks) {
                            hook.onStop();
                        }
                        continue;
                    }
                    if (allDrained() || clock.nanos() - drainDeadline >= 0) {
                        break;
                    }
                }
                // Without busy-polling, no "poll the link again" round after work: a link poll reads
                // until EAGAIN (or its batch limit, and then the waiter sees the fd readable and
                // returns at once), so going straight to the waiter saves one empty read(2) per burst.
                if (state == State.RUNNING && busyPoll.keepPolling(work, clock.nanos()) && spinAllowed.getAsBoolean()) {
                    // Producers skip the eventfd write while this is set: the next round runs their
                    // task anyway, and sleepNanos() clears the flag and looks again before any sleep.
                    wakeupPending.set(true);
                    // Polite spinning: the kernel's busy-poll loop stops when another task needs the
                    // CPU (need_resched); sched_yield is the user-space way to let one run first. With
                    // nothing else runnable it returns at once. Without it, on two loaded vCPUs the
                    // spinning loop delayed its own peer: echo p99 134-190 µs against 56-101 off.
                    Thread.yield();
                    continue;
                }
                waiter.await(sleepNanos());
            }
            terminate();
        } finally {
            state = State.TERMINATED;
            terminated.countDown();
        }
    }

    /**
     * Asks the loop to stop, allowing up to {@code drainNanos} for the {@link StopHook}s to finish;
     * callable from any thread (a signal handler's shutdown hook). Does not wait: see
     * {@link #awaitTermination}.
     */
    public void stop(long drainNanos) {
        synchronized (this) {
            if (state == State.NEW && !manual) {
                state = State.TERMINATED;
                terminated.countDown();
                return;
            }
            if (state != State.RUNNING) {
                return;
            }
            this.drainNanos = Math.max(0, drainNanos);
            state = State.STOPPING;
        }
        if (manual) {
            for (StopHook hook : stopHooks) {
                hook.onStop();
            }
        } else if (!inLoop()) {
            waiter.wakeup();
        }
    }

    /** Waits for a threaded loop to finish; true if it did within the timeout. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    // ---- deterministic mode ----------------------------------------------------------------

    /**
     * Runs tasks, expired timers and link polls until none of them has anything to do at the current
     * time. Returns how many units of work ran. Virtual time does not move.
     */
    public int runUntilIdle() {
        requireOwner();
        int total = 0;
        while (true) {
            int work = runTasks() + timers.runExpired(ROUND_BUDGET) + pollLinks();
            if (work == 0) {
                return total;
            }
            total += work;
            if (total > MAX_WORK_PER_INSTANT) {
                throw new IllegalStateException("event loop never became idle: something reschedules itself at "
                        + clock.nanos() + " ns forever");
            }
        }
    }

    /**
     * Moves virtual time forward to {@code deadlineNanos}, stopping at every timer deadline on the way
     * and running everything due there, so events happen in the order and at the time they would in
     * real time.
     */
    public void advanceTo(long deadlineNanos) {
        VirtualClock vc = virtualClock();
        runUntilIdle();
        while (true) {
            long next = timers.nextDeadline();
            if (next == Long.MAX_VALUE || next - deadlineNanos > 0) {
                break;
            }
            if (next - vc.nanos() > 0) {
                vc.setNanos(next);
            }
            runUntilIdle();
        }
        if (deadlineNanos - vc.nanos() > 0) {
            vc.setNanos(deadlineNanos);
        }
        runUntilIdle();
    }

    /** {@link #advanceTo} {@code now + nanos}. */
    public void advanceBy(long nanos) {
        advanceTo(clock.nanos() + nanos);
    }

    /**
     * Steps virtual time from deadline to deadline until {@code condition} holds or {@code limitNanos}
     * of virtual time have passed. Returns whether the condition holds.
     */
    public boolean advanceUntil(BooleanSupplier condition, long limitNanos) {
        VirtualClock vc = virtualClock();
        long end = vc.nanos() + limitNanos;
        runUntilIdle();
        while (!condition.getAsBoolean()) {
            long next = timers.nextDeadline();
            if (next == Long.MAX_VALUE || next - end > 0) {
                if (end - vc.nanos() > 0) {
                    vc.setNanos(end);
                    runUntilIdle();
                }
                return condition.getAsBoolean();
            }
            if (next - vc.nanos() > 0) {
                vc.setNanos(next);
            }
            runUntilIdle();
        }
        return true;
    }

    /**
     * Finishes a manual loop's stop: runs until every hook is drained (advancing virtual time up to
     * the drain time), then terminates. Returns whether the hooks drained in time.
     */
    public boolean finishStop() {
        requireOwner();
        if (state == State.TERMINATED) {
            return true;
        }
        if (state != State.STOPPING) {
            throw new IllegalStateException("stop() was not called");
        }
        boolean drained = advanceUntil(this::allDrained, drainNanos);
        terminate();
        state = State.TERMINATED;
        terminated.countDown();
        return drained;
    }

    // ---- internals -------------------------------------------------------------------------

    private int runTasks() {
        int ran = 0;
        Runnable task;
        // Bounded per round so a task that queues another cannot starve timers and input.
        int budget = ROUND_BUDGET;
        while (budget-- > 0 && (task = tasks.poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }

    private int pollLinks() {
        int n = 0;
        for (int i = 0, size = pollers.size(); i < size; i++) {
            n += pollers.get(i).getAsInt();
        }
        return n;
    }

    private long sleepNanos() {
        // Clear the flag before the final emptiness check: a producer that adds a task after this
        // point sees the flag clear and calls wakeup(), so its task is never left sleeping.
        wakeupPending.set(false);
        if (!tasks.isEmpty()) {
            return 0;
        }
        long next = timers.nextDeadline();
        if (state == State.STOPPING && (next == Long.MAX_VALUE || drainDeadline - next < 0)) {
            next = drainDeadline; // wake to give up on draining even if no timer is due
        }
        if (next == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, next - clock.nanos());
    }

    private boolean allDrained() {
        for (StopHook hook : stopHooks) {
            if (!hook.drained()) {
                return false;
            }
        }
        return true;
    }

    private void terminate() {
        for (StopHook hook : stopHooks) {
            hook.onTerminate();
        }
        while (runTasks() > 0) {
            // tasks queued by the hooks themselves (and by other threads until now)
        }
    }

    private VirtualClock virtualClock() {
        requireOwner();
        if (!(clock instanceof VirtualClock)) {
            throw new IllegalStateException("advancing time needs a VirtualClock");
        }
        return (VirtualClock) clock;
    }

    private void requireOwner() {
        if (!inLoop()) {
            throw new IllegalStateException("only the loop's owner thread may drive it");
        }
    }
}
