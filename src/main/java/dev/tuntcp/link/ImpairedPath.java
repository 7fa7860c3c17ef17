package dev.tuntcp.link;

import dev.tuntcp.stack.Timer;
import dev.tuntcp.stack.TimerQueue;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * One direction of a link with an {@link Impairment} applied: packets offered here reach the sink
 * after the delay, unless lost; some twice, some corrupted, some overtaken by later ones.
 *
 * <p>Deterministic: every packet consumes exactly the same number of pseudo-random draws whatever
 * happens to it, so the fate of the n-th packet depends only on the seed, the direction and n.
 *
 * <p>Delivery always goes through the {@link TimerQueue}, even with no delay, so a receiver that
 * answers at once never re-enters the sender. Packets due at the same instant arrive in the order
 * they were offered. Steady state allocates nothing: pending entries are pooled; only duplicated and
 * corrupted packets are copied (a copy, so a sender that still holds the bytes, e.g. for
 * retransmission, never sees them change).
 *
 * <p>A path that neither reorders nor delays by chance keeps packets in a plain FIFO (their due times
 * only grow), and a perfect one (no loss, duplication, reordering or corruption) draws no random
 * numbers at all: the in-memory bulk benchmark measures the stacks, not the simulated link.
 *
 * <p>Owned by the event-loop thread that runs {@code timers}.
 */
public final class ImpairedPath implements AutoCloseable {

    /** Where delivered packets go. */
    @FunctionalInterface
    public interface Sink {
        /** Takes ownership of {@code packet}. */
        void accept(ByteBuf packet);
    }

    /** What the path did, for tests and {@code serve}'s counters. */
    public enum Event { OFFERED, DELIVERED, LOST, DUPLICATED, REORDERED, CORRUPTED }

    private static final class Pending {
        ByteBuf packet;
        long due;
        long order;
    }

    private final Impairment impairment;
    private final TimerQueue timers;
    private final Sink sink;
    private final SplitMix64 random;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(64, (x, y) -> {
        int c = Long.compare(x.due, y.due);
        return c != 0 ? c : Long.compare(x.order, y.order);
    });
    /** Used instead of {@link #queue} when nothing reorders: due times never decrease. */
    private final ArrayDeque<Pending> fifo = new ArrayDeque<>(64);
    private final boolean inOrder;
    private final boolean perfect;
    private final ArrayDeque<Pending> pool = new ArrayDeque<>();
    private final long[] events = new long[Event.values().length];
    private final Timer deliveryTimer = new Timer() {
        @Override
        protected void onExpire() {
            deliverDue();
        }
    };
    private long nextOrder;
    private boolean closed;

    /**
     * @param direction distinguishes the random streams of the two directions of one link (0 and 1)
     */
    public ImpairedPath(Impairment impairment, int direction, TimerQueue timers, Sink sink) {
        this.impairment = impairment;
        this.timers = timers;
        this.sink = sink;
        this.random = new SplitMix64(impairment.seed() * 0x9E3779B97F4A7C15L + direction + 1);
        this.inOrder = impairment.reorder() <= 0;
        this.perfect = inOrder && impairment.loss() <= 0 && impairment.dup() <= 0 && impairment.corrupt() <= 0;
    }

    public Impairment impairment() {
        return impairment;
    }

    /** Takes ownership of {@code packet}; it is delivered later to the sink, or released. */
    public void offer(ByteBuf packet) {
        if (closed) {
            packet.release();
            return;
        }
        events[Event.OFFERED.ordinal()]++;
        if (perfect) {
            enqueue(packet, timers.clock().nanos() + impairment.delayNanos());
            return;
        }
        // Always draw the same five numbers, so later packets' fates do not depend on this one's.
        double lossDraw = random.nextDouble();
        double corruptDraw = random.nextDouble();
        double dupDraw = random.nextDouble();
        double reorderDraw = random.nextDouble();
        long bitDraw = random.nextLong();

        if (lossDraw < impairment.loss()) {
            events[Event.LOST.ordinal()]++;
            packet.release();
            return;
        }
        long now = timers.clock().nanos();
        long due = now + impairment.delayNanos();
        if (reorderDraw < impairment.reorder()) {
            events[Event.REORDERED.ordinal()]++;
            due += impairment.reorderHoldNanos();
        }
        ByteBuf toSend = packet;
        if (corruptDraw < impairment.corrupt() && packet.isReadable()) {
            events[Event.CORRUPTED.ordinal()]++;
            toSend = copyOf(packet);
            packet.release();
            int bits = toSend.readableBytes() * 8;
            int bit = (int) Long.remainderUnsigned(bitDraw, bits);
            int index = toSend.readerIndex() + bit / 8;
            toSend.setByte(index, toSend.getByte(index) ^ (0x80 >>> (bit % 8)));
        }
        if (dupDraw < impairment.dup()) {
            events[Event.DUPLICATED.ordinal()]++;
            enqueue(copyOf(toSend), due);
        }
        enqueue(toSend, due);
    }

    /** How often {@code event} has happened on this path. */
    public long count(Event event) {
        return events[event.ordinal()];
    }

    /** Packets offered and not yet delivered. */
    public int inFlight() {
        return queue.size() + fifo.size();
    }

    /** Releases every packet in flight; later offers are released at once. */
    @Override
    public void close() {
        closed = true;
        timers.cancel(deliveryTimer);
        Pending p;
        while ((p = poll()) != null) {
            p.packet.release();
            p.packet = null;
        }
    }

    private void add(Pending p) {
        if (inOrder) {
            fifo.addLast(p);
        } else {
            queue.add(p);
        }
    }

    private Pending peek() {
        return inOrder ? fifo.peekFirst() : queue.peek();
    }

    private Pending poll() {
        return inOrder ? fifo.pollFirst() : queue.poll();
    }

    private void enqueue(ByteBuf packet, long due) {
        Pending p = pool.pollFirst();
        if (p == null) {
            p = new Pending();
        }
        p.packet = packet;
        p.due = due;
        p.order = nextOrder++;
        add(p);
        Pending head = peek();
        if (!deliveryTimer.isScheduled() || deliveryTimer.deadline() != head.due) {
            timers.schedule(deliveryTimer, head.due);
        }
    }

    private void deliverDue() {
        long now = timers.clock().nanos();
        Pending p;
        while (!closed && (p = peek()) != null && p.due - now <= 0) {
            poll();
            ByteBuf packet = p.packet;
            p.packet = null;
            pool.addFirst(p);
            events[Event.DELIVERED.ordinal()]++;
            sink.accept(packet);
        }
        if (!closed && (p = peek()) != null) {
            timers.schedule(deliveryTimer, p.due);
        }
    }

    private static ByteBuf copyOf(ByteBuf packet) {
        ByteBuf copy = packet.alloc().buffer(packet.readableBytes());
        copy.writeBytes(packet, packet.readerIndex(), packet.readableBytes());
        return copy;
    }

    /** SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and its output is fixed forever by its definition. */
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, 1) with 53 random bits. */
        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }
    }
}
