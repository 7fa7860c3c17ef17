package dev.tuntcp.link;

import dev.tuntcp.stack.TimerQueue;
import io.netty.buffer.ByteBuf;

/**
 * Two in-memory link endpoints joined back to back (DESIGN §1): a packet sent on {@link #a()} reaches
 * {@link #b()}'s receiver, and the other way round, through timers on one shared {@link TimerQueue}.
 * On a virtual clock two stacks talk to each other deterministically, with a seeded
 * {@link Impairment} applied to each direction.
 *
 * <p>Both endpoints must be used from the event-loop thread that runs {@code timers}; packets arrive
 * from that queue's {@code runExpired()}, so {@link LinkDevice#poll()} has nothing to do.
 */
public final class SimLink implements AutoCloseable {

    /** Why an endpoint refused a packet. */
    public enum Drop { OVERSIZE, CLOSED, NO_RECEIVER }

    private final Endpoint a;
    private final Endpoint b;
    private final ImpairedPath aToB;
    private final ImpairedPath bToA;

    private SimLink(TimerQueue timers, int mtu, Impairment aToBImpairment, Impairment bToAImpairment) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be between 68 (RFC 791) and 65535: " + mtu);
        }
        a = new Endpoint("a", mtu);
        b = new Endpoint("b", mtu);
        aToB = new ImpairedPath(aToBImpairment, 0, timers, b::deliver);
        bToA = new ImpairedPath(bToAImpairment, 1, timers, a::deliver);
        a.out = aToB;
        b.out = bToA;
    }

    /** A perfect link (no impairment, no delay) with the given MTU. */
    public static SimLink create(TimerQueue timers, int mtu) {
        return new SimLink(timers, mtu, Impairment.NONE, Impairment.NONE);
    }

    /** The same impairment both ways; each direction draws its own random stream from the seed. */
    public static SimLink create(TimerQueue timers, int mtu, Impairment impairment) {
        return new SimLink(timers, mtu, impairment, impairment);
    }

    public static SimLink create(TimerQueue timers, int mtu, Impairment aToB, Impairment bToA) {
        return new SimLink(timers, mtu, aToB, bToA);
    }

    public LinkDevice a() {
        return a;
    }

    public LinkDevice b() {
        return b;
    }

    /** The path from a to b, for its {@link ImpairedPath.Event} counts. */
    public ImpairedPath aToB() {
        return aToB;
    }

    public ImpairedPath bToA() {
        return bToA;
    }

    /** How often an endpoint refused a packet for {@code reason}, both endpoints together. */
    public long drops(Drop reason) {
        return a.drops[reason.ordinal()] + b.drops[reason.ordinal()];
    }

    /** Closes both endpoints and releases every packet in flight. */
    @Override
    public void close() {
        a.close();
        b.close();
    }

    private static final class Endpoint implements LinkDevice {
        private final String name;
        private final int mtu;
        private final long[] drops = new long[Drop.values().length];
        private ImpairedPath out;
        private PacketReceiver receiver;
        private boolean closed;

        Endpoint(String name, int mtu) {
            this.name = name;
            this.mtu = mtu;
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public void setReceiver(PacketReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void send(ByteBuf packet) {
            if (closed) {
                drop(packet, Drop.CLOSED);
            } else if (packet.readableBytes() > mtu) {
                drop(packet, Drop.OVERSIZE);
            } else {
                out.offer(packet);
            }
        }

        void deliver(ByteBuf packet) {
            PacketReceiver r = receiver;
            if (closed) {
                drop(packet, Drop.CLOSED);
            } else if (r == null) {
                drop(packet, Drop.NO_RECEIVER);
            } else {
                r.onPacket(packet);
            }
        }

        private void drop(ByteBuf packet, Drop reason) {
            drops[reason.ordinal()]++;
            packet.release();
        }

        @Override
        public void close() {
            closed = true;
            out.close();
        }

        @Override
        public String toString() {
            return "SimLink." + name + "(mtu " + mtu + ")";
        }
    }
}
