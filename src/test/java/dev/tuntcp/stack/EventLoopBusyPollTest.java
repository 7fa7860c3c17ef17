package dev.tuntcp.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The threaded loop's busy-polling ({@link EventLoop#busyPoll}) on a clock that moves one microsecond
 * each time the loop reads it and a waiter that records each sleep instead of sleeping: after a round
 * with work the loop keeps polling for the window and then sleeps; idle, it sleeps after every round.
 */
class EventLoopBusyPollTest {
    private static final long STEP = 1_000;
    private static final long WINDOW = 50_000;

    /** A clock that moves {@link #STEP} each time the loop reads it; the test peeks without moving it. */
    private static final class SteppingClock implements Clock {
        final AtomicLong now = new AtomicLong(-7_000_000); // negative, as System.nanoTime may be

        @Override
        public long nanos() {
            return now.addAndGet(STEP);
        }
    }

    /** Records each sleep (the time and the link polls so far) and stops the loop at the third. */
    private static final class RecordingWaiter implements IoWaiter {
        final List<long[]> sleeps = new ArrayList<>();
        final AtomicInteger wakeups = new AtomicInteger();
        SteppingClock clock;
        AtomicInteger polls;
        EventLoop loop;

        @Override
        public void await(long timeoutNanos) {
            sleeps.add(new long[] {clock.now.get(), polls.get()});
            if (sleeps.size() == 3) {
                loop.stop(0);
            }
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
        }
    }

    private record Run(long workAt, List<long[]> sleeps, int wakeups, boolean taskRanBeforeFirstSleep) {
    }

    /** Runs a loop whose link has one packet in its first round; {@code foreignTaskAtPoll}: a thread queues a task then. */
    private static Run run(long window, int foreignTaskAtPoll) throws InterruptedException {
        return run(window, foreignTaskAtPoll, () -> true);
    }

    private static Run run(long window, int foreignTaskAtPoll, java.util.function.BooleanSupplier spinAllowed)
            throws InterruptedException {
        SteppingClock clock = new SteppingClock();
        RecordingWaiter waiter = new RecordingWaiter();
        EventLoop loop = new EventLoop(clock, waiter);
        AtomicInteger polls = new AtomicInteger();
        AtomicLong workAt = new AtomicLong();
        AtomicLong taskRanAtSleeps = new AtomicLong(-1);
        waiter.clock = clock;
        waiter.polls = polls;
        waiter.loop = loop;
        loop.busyPoll(window, spinAllowed);
        loop.addPoller(() -> {
            int n = polls.incrementAndGet();
            if (n == foreignTaskAtPoll) {
                Thread producer = new Thread(() -> loop.execute(() -> taskRanAtSleeps.set(waiter.sleeps.size())));
                producer.start();
                try {
                    producer.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (n == 1) {
                workAt.set(clock.now.get());
                return 1;
            }
            return 0;
        });
        loop.start("busy-poll-test");
        assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS), "the loop stopped at its third sleep");
        return new Run(workAt.get(), waiter.sleeps, waiter.wakeups.get(), taskRanAtSleeps.get() == 0);
    }

    @Test
    void afterWorkTheLoopPollsForTheWindowThenSleeps() throws InterruptedException {
        Run r = run(WINDOW, -1);
        long[] first = r.sleeps().get(0);
        long spun = first[0] - r.workAt();
        assertTrue(spun >= WINDOW, "kept polling for the whole window: " + spun + " ns");
        assertTrue(spun <= WINDOW + 10 * STEP, "and slept right after it: " + spun + " ns");
        assertTrue(first[1] > 10, "the link was polled again and again meanwhile: " + first[1] + " polls");
    }

    @Test
    void idleTheLoopSleepsAfterEveryRound() throws InterruptedException {
        Run r = run(WINDOW, -1);
        assertEquals(1, r.sleeps().get(1)[1] - r.sleeps().get(0)[1], "one poll between the first and second sleep");
        assertEquals(1, r.sleeps().get(2)[1] - r.sleeps().get(1)[1], "one poll between the second and third sleep");
    }

    @Test
    void withoutBusyPollingTheLoopSleepsRightAfterTheWork() throws InterruptedException {
        Run r = run(0, -1);
        assertEquals(1, r.sleeps().get(0)[1], "slept after the first round");
    }

    @Test
    void whileSpinningIsNotAllowedTheLoopSleepsRightAfterTheWork() throws InterruptedException {
        Run r = run(WINDOW, -1, () -> false);
        assertEquals(1, r.sleeps().get(0)[1], "slept after the first round, window or not");
    }

    @Test
    void spinningStopsAsSoonAsItIsNoLongerAllowed() throws InterruptedException {
        AtomicInteger asked = new AtomicInteger();
        Run r = run(WINDOW, -1, () -> asked.incrementAndGet() <= 3);
        assertEquals(4, r.sleeps().get(0)[1], "three rounds of spinning after the work, then asleep");
    }

    @Test
    void aTaskQueuedWhileSpinningRunsWithoutAWakeUp() throws InterruptedException {
        Run r = run(WINDOW, 5);
        assertTrue(r.taskRanBeforeFirstSleep(), "the spinning loop ran the other thread's task");
        assertEquals(0, r.wakeups(), "so the other thread made no eventfd write");
    }
}
