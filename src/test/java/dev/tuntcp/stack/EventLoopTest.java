package dev.tuntcp.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    private static Timer timer(Runnable action) {
        return new Timer() {
            @Override
            protected void onExpire() {
                action.run();
            }
        };
    }

    @Test
    void manualLoopRunsTasksInOrderIncludingTasksQueuedByTasks() {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        List<String> log = new ArrayList<>();
        loop.execute(() -> {
            log.add("a");
            loop.execute(() -> log.add("c"));
        });
        loop.execute(() -> log.add("b"));
        assertTrue(log.isEmpty(), "execute never runs a task re-entrantly");
        assertEquals(3, loop.runUntilIdle());
        assertEquals(List.of("a", "b", "c"), log);
        assertTrue(loop.inLoop());
    }

    @Property(tries = 200)
    void advanceToFiresEachTimerAtItsDeadlineInOrder(
            @ForAll @Size(max = 50) List<@IntRange(min = 0, max = 1_000_000) Integer> deadlines,
            @ForAll @IntRange(min = 0, max = 1_000_000) int until) {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        List<long[]> fired = new ArrayList<>();
        for (int d : deadlines) {
            loop.timers().schedule(timer(() -> fired.add(new long[] {d, clock.nanos()})), d);
        }
        loop.advanceTo(until);
        long expectedCount = deadlines.stream().filter(d -> d <= until).count();
        assertEquals(expectedCount, fired.size());
        long previous = -1;
        for (long[] f : fired) {
            assertEquals(f[0], f[1], "a timer fires exactly at its deadline in virtual time");
            assertTrue(f[1] >= previous, "in deadline order");
            previous = f[1];
        }
        assertEquals(until, clock.nanos());
    }

    @Test
    void timersThatScheduleTimersAreFollowedThroughVirtualTime() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        AtomicInteger ticks = new AtomicInteger();
        Timer[] holder = new Timer[1];
        holder[0] = timer(() -> {
            if (ticks.incrementAndGet() < 10) {
                loop.timers().scheduleIn(holder[0], 1_000);
            }
        });
        loop.timers().scheduleIn(holder[0], 1_000);
        loop.advanceBy(5_500);
        assertEquals(5, ticks.get());
        assertTrue(loop.advanceUntil(() -> ticks.get() == 10, 1_000_000));
        assertEquals(10_000, clock.nanos(), "stopped at the instant the condition became true");
        assertFalse(loop.advanceUntil(() -> false, 7_000));
        assertEquals(17_000, clock.nanos(), "gave up after the limit");
    }

    @Test
    void pollersRunEveryRoundUntilTheyHaveNothing() {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        AtomicInteger pending = new AtomicInteger(3);
        loop.addPoller(() -> pending.get() > 0 ? Math.min(1, pending.getAndDecrement()) : 0);
        assertEquals(3, loop.runUntilIdle());
    }

    @Test
    void runUntilIdleRefusesALoopThatNeverSettles() {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        Timer[] holder = new Timer[1];
        holder[0] = timer(() -> loop.timers().scheduleIn(holder[0], 0));
        loop.timers().scheduleIn(holder[0], 0);
        assertThrows(IllegalStateException.class, loop::runUntilIdle);
    }

    @Test
    void manualStopCallsHooksDrainsInVirtualTimeThenTerminates() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        List<String> log = new ArrayList<>();
        AtomicBoolean drained = new AtomicBoolean();
        loop.addStopHook(new EventLoop.StopHook() {
            @Override
            public void onStop() {
                log.add("stop@" + clock.nanos());
                loop.timers().scheduleIn(timer(() -> drained.set(true)), 2_000);
            }

            @Override
            public boolean drained() {
                return drained.get();
            }

            @Override
            public void onTerminate() {
                log.add("terminate@" + clock.nanos());
            }
        });
        loop.stop(10_000);
        assertTrue(loop.finishStop());
        assertEquals(List.of("stop@0", "terminate@2000"), log);
        assertTrue(loop.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
    }

    @Test
    void threadedLoopRunsForeignTasksOnItsOwnThread() throws Exception {
        EventLoop loop = new EventLoop(Clock.system(), new ParkingWaiter());
        Thread thread = loop.start("test-loop");
        try {
            CountDownLatch done = new CountDownLatch(1000);
            AtomicBoolean allInLoop = new AtomicBoolean(true);
            AtomicReference<Thread> seen = new AtomicReference<>();
            for (int i = 0; i < 1000; i++) {
                loop.execute(() -> {
                    allInLoop.compareAndSet(true, loop.inLoop());
                    seen.set(Thread.currentThread());
                    done.countDown();
                });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS), "every task ran");
            assertTrue(allInLoop.get());
            assertEquals(thread, seen.get());
            assertFalse(loop.inLoop());
        } finally {
            loop.stop(0);
            assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void threadedLoopFiresTimersWhileIdle() throws Exception {
        EventLoop loop = new EventLoop(Clock.system(), new ParkingWaiter());
        loop.start("test-loop");
        try {
            CountDownLatch fired = new CountDownLatch(1);
            loop.execute(() -> loop.timers().scheduleIn(timer(fired::countDown), 20_000_000));
            assertTrue(fired.await(10, TimeUnit.SECONDS));
        } finally {
            loop.stop(0);
            assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void threadedStopGivesUpOnAHookThatNeverDrains() throws Exception {
        EventLoop loop = new EventLoop(Clock.system(), new ParkingWaiter());
        CountDownLatch terminated = new CountDownLatch(1);
        AtomicInteger stops = new AtomicInteger();
        loop.addStopHook(new EventLoop.StopHook() {
            @Override
            public void onStop() {
                stops.incrementAndGet();
            }

            @Override
            public boolean drained() {
                return false;
            }

            @Override
            public void onTerminate() {
                terminated.countDown();
            }
        });
        loop.start("test-loop");
        loop.stop(50_000_000);
        assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(0, terminated.getCount());
        assertEquals(1, stops.get());
    }
}
