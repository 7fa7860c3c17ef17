package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.Timer;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Two {@link TcpLayer}s joined at their {@link TcpOutput}s by an in-memory link in virtual time: a
 * fixed one-way delay, FIFO per direction, and seeded loss and duplication. (SimLink with real wire
 * encoding replaces this once the IP layer is in; this pair tests the state machine by itself.)
 */
final class LoopbackPair {
    static final int ADDRESS_A = 0x0A000001;
    static final int ADDRESS_B = 0x0A000002;

    final VirtualClock clock = new VirtualClock();
    final TimerQueue timers = new TimerQueue(clock);
    final Counters countersA = new Counters();
    final Counters countersB = new Counters();
    final TcpLayer a;
    final TcpLayer b;
    private final Direction toB;
    private final Direction toA;
    private final Random random;
    private final double loss;
    private final double duplicate;
    private final long delayNanos;
    long delivered;
    long lost;

    LoopbackPair(TcpConfig config, long delayNanos, double loss, double duplicate, long seed) {
        this.delayNanos = delayNanos;
        this.loss = loss;
        this.duplicate = duplicate;
        this.random = new Random(seed);
        this.toB = new Direction();
        this.toA = new Direction();
        this.a = new TcpLayer(config, timers, countersA, seg -> send(toB, seg));
        this.b = new TcpLayer(config, timers, countersB, seg -> send(toA, seg));
        toB.target = b;
        toA.target = a;
    }

    /** Runs the event loop until {@code done}, failing if virtual time passes {@code limitNanos}. */
    void runUntil(BooleanSupplier done, long limitNanos) {
        long deadline = clock.nanos() + limitNanos;
        while (!done.getAsBoolean()) {
            long next = timers.nextDeadline();
            if (next == Long.MAX_VALUE) {
                fail("stalled: nothing scheduled and not done; A " + a.connections().stream().map(Connection::status).toList()
                        + " B " + b.connections().stream().map(Connection::status).toList());
            }
            if (next - deadline > 0) {
                fail("not done after " + limitNanos / 1e9 + " virtual seconds");
            }
            if (next > clock.nanos()) {
                clock.setNanos(next);
            }
            timers.runExpired();
        }
    }

    /** Lets virtual time run to {@code nanos} from now, firing timers on the way. */
    void runFor(long nanos) {
        long target = clock.nanos() + nanos;
        while (timers.nextDeadline() - target <= 0) {
            long next = timers.nextDeadline();
            if (next > clock.nanos()) {
                clock.setNanos(next);
            }
            timers.runExpired();
        }
        clock.setNanos(target);
    }

    private void send(Direction d, Segment seg) {
        if (loss > 0 && random.nextDouble() < loss) {
            lost++;
            return;
        }
        int copies = duplicate > 0 && random.nextDouble() < duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            byte[] data = new byte[seg.dataLength];
            if (seg.dataLength > 0) {
                seg.data.getBytes(seg.dataIndex, data);
            }
            Segment copy = new Segment().copyFrom(seg);
            copy.data = seg.dataLength > 0 ? Unpooled.wrappedBuffer(data) : null;
            copy.dataIndex = 0;
            d.enqueue(clock.nanos() + delayNanos, copy);
        }
    }

    /** One direction of the link: FIFO, delivered by one timer at each packet's due time. */
    private final class Direction extends Timer {
        private final ArrayDeque<Segment> queue = new ArrayDeque<>();
        private final ArrayDeque<Long> due = new ArrayDeque<>();
        TcpLayer target;

        void enqueue(long at, Segment seg) {
            queue.add(seg);
            due.add(at);
            if (!isScheduled()) {
                timers.schedule(this, at);
            }
        }

        @Override
        protected void onExpire() {
            long now = clock.nanos();
            while (!due.isEmpty() && due.peek() - now <= 0) {
                due.poll();
                Segment seg = queue.poll();
                delivered++;
                target.input(seg);
            }
            if (!due.isEmpty()) {
                timers.schedule(this, due.peek());
            }
        }
    }
}
