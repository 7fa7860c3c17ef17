package dev.tuntcp.stack;

import java.util.Arrays;

/**
 * Deadline-ordered timers as a binary min-heap with the heap index kept inside each {@link Timer},
 * so schedule, reschedule and cancel are O(log n) and allocate nothing once the array has grown.
 * Not thread-safe: owned by the event loop.
 */
public final class TimerQueue {
    private final Clock clock;
    private Timer[] heap = new Timer[64];
    private int size;

    public TimerQueue(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** Schedules (or moves) {@code timer} to fire {@code delayNanos} from now. */
    public void scheduleIn(Timer timer, long delayNanos) {
        schedule(timer, clock.nanos() + delayNanos);
    }

    /** Schedules (or moves) {@code timer} to the absolute deadline. */
    public void schedule(Timer timer, long deadlineNanos) {
        if (timer.isScheduled()) {
            long old = timer.deadline;
            timer.deadline = deadlineNanos;
            if (deadlineNanos - old < 0) {
                siftUp(timer.heapIndex);
            } else {
                siftDown(timer.heapIndex);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.deadline = deadlineNanos;
        timer.heapIndex = size;
        heap[size++] = timer;
        siftUp(size - 1);
    }

    public void cancel(Timer timer) {
        int i = timer.heapIndex;
        if (i < 0) {
            return;
        }
        timer.heapIndex = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
    }

    public int size() {
        return size;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when nothing is scheduled. */
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /**
     * Fires every timer whose deadline is not after now, earliest first; a timer that reschedules
     * itself into the past fires again in the same call. Returns how many fired.
     */
    public int runExpired() {
        return runExpired(Integer.MAX_VALUE);
    }

    /**
     * Like {@link #runExpired()} but fires at most {@code maxFirings} timers, so a caller (the event
     * loop) can interleave input and tasks with a long run of due timers.
     */
    public int runExpired(int maxFirings) {
        int fired = 0;
        long now = clock.nanos();
        while (fired < maxFirings && size > 0 && heap[0].deadline - now <= 0) {
            Timer t = heap[0];
            cancel(t);
            fired++;
            t.onExpire();
            now = clock.nanos();
        }
        return fired;
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (p.deadline - t.deadline <= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline - heap[child].deadline < 0) {
                child = right;
            }
            Timer c = heap[child];
            if (t.deadline - c.deadline <= 0) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
