package dev.tuntcp.lab;

import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.trace.Annotation;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.Drop;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceSink;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The lab's fault hooks, as a {@link LinkDevice} between the TUN device and the stack: they make the
 * network misbehave on purpose, never the TCP state machine.
 * <ul>
 *   <li>{@link #dropNth}: loses the n-th segment that matches, once (the lost final ACK);</li>
 *   <li>{@link #hold}: keeps the first matching segment back until released — by a later segment in
 *       either direction ({@link Hold#releaseWhen}) or by the scenario ({@link Hold#release}) — so
 *       two segments can cross deterministically (simultaneous open and close);</li>
 *   <li>{@link #inject}: sends a hand-built segment ({@link StaleSegments}) as if the stack had,
 *       e.g. an old duplicate SYN/ACK.</li>
 * </ul>
 * Every intervention is recorded in the trace (a {@link Drop#lost} for a loss, the injected segment
 * itself, an {@link Annotation} for a hold), so the ladders show what the link did.
 *
 * <p>Packets pass on the event-loop thread; rules may be added from any thread. Directions are
 * those of the trace: {@link Direction#IN} is towards the stack, {@link Direction#OUT} from it.
 */
public final class LabLink implements LinkDevice {
    private final LinkDevice inner;
    private final EventLoop loop;
    private final TraceSink trace;
    private long originNanos;
    private final PacketView view = new PacketView();
    private final List<DropRule> drops = new CopyOnWriteArrayList<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();
    private final List<After> afters = new CopyOnWriteArrayList<>();
    private PacketReceiver receiver;
    private java.util.function.Consumer<Direction> observer = d -> { };

    public LabLink(LinkDevice inner, EventLoop loop, TraceSink trace, long originNanos) {
        this.inner = inner;
        this.loop = loop;
        this.trace = trace;
        this.originNanos = originNanos;
        inner.setReceiver(this::fromKernel);
    }

    /**
     * Runs {@code observer} on the loop after every packet the link hands to the kernel (with
     * {@code OUT}) and before every packet it hands to the stack (with {@code IN}): the lab samples
     * the kernel's state there.
     */
    public void setObserver(java.util.function.Consumer<Direction> observer) {
        this.observer = observer;
    }

    /** Counts trace time from {@code nanos} (loop clock) from now on. Call on the event loop. */
    public void setOrigin(long nanos) {
        this.originNanos = nanos;
    }

    /** Loses the {@code n}-th (1-based) segment travelling in {@code direction} that matches, once. */
    public void dropNth(Direction direction, int n, Predicate<SegmentEvent> match) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        drops.add(new DropRule(direction, n, match));
    }

    /**
     * Holds back the first segment in {@code direction} that matches; {@code why} goes into the
     * trace when it is caught.
     */
    public Hold hold(Direction direction, Predicate<SegmentEvent> match, String why) {
        Hold h = new Hold(direction, match, why);
        holds.add(h);
        return h;
    }

    /**
     * Runs {@code action} on the loop, once, right after the first segment in {@code direction} that
     * matches has been handed on (for {@code OUT}: written to the kernel, before its state is sampled)
     * — e.g. the kernel's application reacting the instant its kernel has taken a FIN.
     */
    public void afterPassing(Direction direction, Predicate<SegmentEvent> match, Runnable action) {
        afters.add(new After(direction, match, action));
    }

    /**
     * Sends {@code packet} (a whole IPv4 packet; ownership passes to the link) to the kernel as if
     * the stack had, and records it in the trace with {@code note}. Call on the event loop.
     */
    public void inject(ByteBuf packet, String note) {
        SegmentEvent s = view.read(packet, Direction.OUT, now());
        if (s != null) {
            trace.accept(s.withNote(note));
        }
        inner.send(packet);
        observer.accept(Direction.OUT);
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void setReceiver(PacketReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public void send(ByteBuf packet) {
        pass(packet, Direction.OUT);
    }

    @Override
    public int poll() {
        return inner.poll();
    }

    @Override
    public void close() {
        for (Hold h : holds) {
            h.discard();
        }
        inner.close();
    }

    private void fromKernel(ByteBuf packet) {
        pass(packet, Direction.IN);
    }

    /** Applies the rules to one packet (ownership passed in) and forwards, holds or releases it. */
    private void pass(ByteBuf packet, Direction direction) {
        SegmentEvent s = drops.isEmpty() && holds.isEmpty() && afters.isEmpty() ? null
                : view.read(packet, direction, now());
        if (s != null) {
            for (DropRule rule : drops) {
                if (rule.direction == direction && !rule.done && rule.match.test(s) && ++rule.seen == rule.n) {
                    rule.done = true;
                    trace.accept(Drop.lost(s));
                    packet.release();
                    return;
                }
            }
            for (Hold h : holds) {
                if (h.direction == direction && h.packet == null && !h.caught && h.match.test(s)) {
                    h.catchIt(packet, s);
                    return;
                }
            }
        }
        forward(packet, direction, s);
        if (s != null) {
            for (Hold h : holds) {
                if (h.packet != null && h.releaseDirection == direction && h.releaseMatch != null
                        && h.releaseMatch.test(s)) {
                    // After this packet is on its way, and outside the stack's own processing.
                    loop.execute(h::releaseNow);
                }
            }
        }
    }

    /** Hands the packet on; {@code s} is its segment when the rules read it, else null. */
    private void forward(ByteBuf packet, Direction direction, SegmentEvent s) {
        if (direction == Direction.OUT) {
            inner.send(packet);
            runAfters(s, direction);
            observer.accept(Direction.OUT);
            return;
        }
        observer.accept(Direction.IN);
        PacketReceiver r = receiver;
        if (r == null) {
            packet.release();
        } else {
            r.onPacket(packet);
        }
        runAfters(s, direction);
    }

    private void runAfters(SegmentEvent s, Direction direction) {
        if (s == null) {
            return;
        }
        for (After a : afters) {
            if (!a.done && a.direction == direction && a.match.test(s)) {
                a.done = true;
                a.action.run();
            }
        }
    }

    private long now() {
        return loop.clock().nanos() - originNanos;
    }

    private static final class After {
        final Direction direction;
        final Predicate<SegmentEvent> match;
        final Runnable action;
        boolean done;

        After(Direction direction, Predicate<SegmentEvent> match, Runnable action) {
            this.direction = direction;
            this.match = match;
            this.action = action;
        }
    }

    private static final class DropRule {
        final Direction direction;
        final int n;
        final Predicate<SegmentEvent> match;
        int seen;
        boolean done;

        DropRule(Direction direction, int n, Predicate<SegmentEvent> match) {
            this.direction = direction;
            this.n = n;
            this.match = match;
        }
    }

    /** One held segment: caught once, released once. */
    public final class Hold {
        private final Direction direction;
        private final Predicate<SegmentEvent> match;
        private final String why;
        private final CountDownLatch caughtLatch = new CountDownLatch(1);
        private final List<Runnable> onCaught = new ArrayList<>();
        private volatile Direction releaseDirection;
        private volatile Predicate<SegmentEvent> releaseMatch;
        private volatile SegmentEvent segment;
        private ByteBuf packet;
        private boolean caught;

        private Hold(Direction direction, Predicate<SegmentEvent> match, String why) {
            this.direction = direction;
            this.match = match;
            this.why = why;
        }

        /** Releases the held segment as soon as a segment in {@code direction} matching {@code what} has passed. */
        public Hold releaseWhen(Direction dir, Predicate<SegmentEvent> what) {
            this.releaseDirection = dir;
            this.releaseMatch = what;
            return this;
        }

        /** Runs {@code action} on the event loop right after the segment is caught (e.g. the stack's own CLOSE). */
        public Hold onCaught(Runnable action) {
            synchronized (onCaught) {
                onCaught.add(action);
            }
            return this;
        }

        /** Waits until the segment is caught; true if it was. */
        public boolean awaitCaught(Duration timeout) throws InterruptedException {
            return caughtLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** The held segment as traced, or null before it is caught. */
        public SegmentEvent segment() {
            return segment;
        }

        /** Lets the held segment go on (from any thread). */
        public void release() {
            loop.execute(this::releaseNow);
        }

        private void catchIt(ByteBuf p, SegmentEvent s) {
            packet = p;
            caught = true;
            segment = s;
            trace.accept(new Annotation(s.nanos(), s.connection(), why));
            caughtLatch.countDown();
            List<Runnable> actions;
            synchronized (onCaught) {
                actions = List.copyOf(onCaught);
            }
            for (Runnable a : actions) {
                loop.execute(a);
            }
        }

        private void releaseNow() {
            ByteBuf p = packet;
            if (p == null) {
                return;
            }
            packet = null;
            forward(p, direction, segment);
        }

        private void discard() {
            ByteBuf p = packet;
            packet = null;
            if (p != null) {
                p.release();
            }
        }
    }
}
