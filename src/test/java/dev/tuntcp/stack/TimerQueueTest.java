package dev.tuntcp.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TimerQueueTest {

    private static final class Recording extends Timer {
        final int id;
        final List<Integer> log;

        Recording(int id, List<Integer> log) {
            this.id = id;
            this.log = log;
        }

        @Override
        protected void onExpire() {
            log.add(id);
        }
    }

    @Property
    void firesInDeadlineOrderAndNeverEarly(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 10_000) Integer> deadlines) {
        VirtualClock clock = new VirtualClock();
        TimerQueue queue = new TimerQueue(clock);
        List<Integer> fired = new ArrayList<>();
        for (int i = 0; i < deadlines.size(); i++) {
            queue.schedule(new Recording(i, fired), deadlines.get(i));
        }
        long last = -1;
        for (long t = 0; t <= 10_000; t += 97) {
            clock.setNanos(t);
            int before = fired.size();
            queue.runExpired();
            for (int k = before; k < fired.size(); k++) {
                long d = deadlines.get(fired.get(k));
                assertFalse(d > t, "fired before its deadline");
                assertFalse(d < last, "fired out of order");
                last = d;
            }
        }
        clock.setNanos(20_000);
        queue.runExpired();
        assertEquals(deadlines.size(), fired.size());
        assertEquals(0, queue.size());
    }

    @Test
    void cancelAndRescheduleMoveTheTimer() {
        VirtualClock clock = new VirtualClock();
        TimerQueue queue = new TimerQueue(clock);
        List<Integer> fired = new ArrayList<>();
        Recording a = new Recording(1, fired);
        Recording b = new Recording(2, fired);
        queue.schedule(a, 100);
        queue.schedule(b, 50);
        queue.cancel(b);
        queue.schedule(a, 10);
        assertEquals(10, queue.nextDeadline());
        clock.setNanos(60);
        assertEquals(1, queue.runExpired());
        assertEquals(List.of(1), fired);
        assertEquals(Long.MAX_VALUE, queue.nextDeadline());
    }
}
