package dev.tuntcp.link;

import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.TcpSegmentation;
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

    private SimLink(TimerQueue timers, int mtu, Impairment aToBImpairment, Impairment bToAImpairment, boolean offload) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be between 68 (RFC 791) and 65535: " + mtu);
        }
        a = new Endpoint("a", mtu, offload);
        b = new Endpoint("b", mtu, offload);
        aToB = new ImpairedPath(aToBImpairment, 0, timers, b::deliver);
        bToA = new ImpairedPath(bToAImpairment, 1, timers, a::deliver);
        a.out = aToB;
        b.out = bToA;
        a.peer = b;
        b.peer = a;
    }

    /** A perfect link (no impairment, no delay) with the given MTU. */
    public static SimLink create(TimerQueue timers, int mtu) {
        return new SimLink(timers, mtu, Impairment.NONE, Impairment.NONE, false);
    }

    /**
     * A perfect link whose endpoints act like a TUN device with {@code serve --offload}'s offloads, or
     * like Linux's loopback: TCP segmentation offload ({@link LinkDevice#segmentationOffload()} 65535:
     * a super-segment crosses whole, as GSO hands it to the peer and GRO would) and checksum offload
     * (every packet reaches a receiver that {@linkplain LinkDevice.PacketReceiver#trustsOffloadedChecksums()
     * trusts offloaded checksums} as trusted, the TCP checksum unverified; others get it completed).
     * Nothing on this link can corrupt a packet, so no checksum has anything to catch. The in-memory
     * counterpart of the offloaded TUN path ({@code BulkTransferBench}).
     */
    public static SimLink createWithOffload(TimerQueue timers, int mtu) {
        return new SimLink(timers, mtu, Impairment.NONE, Impairment.NONE, true);
    }

    /** The same impairment both ways; each direction draws its own random stream from the seed. */
    public static SimLink create(TimerQueue timers, int mtu, Impairment impairment) {
        return new SimLink(timers, mtu, impairment, impairment, false);
    }

    public static SimLink create(TimerQueue timers, int mtu, Impairment aToB, Impairment bToA) {
        return new SimLink(timers, mtu, aToB, bToA, false);
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
        /** The largest packet {@link #sendSegmented} passes whole (an IPv4 packet's limit). */
        private static final int MAX_OFFLOADED_PACKET = 65535;
        private final String name;
        private final int mtu;
        private final boolean offload;
        private final long[] drops = new long[Drop.values().length];
        private ImpairedPath out;
        private Endpoint peer;
        private PacketReceiver receiver;
        private boolean closed;

        Endpoint(String name, int mtu, boolean offload) {
            this.name = name;
            this.mtu = mtu;
            this.offload = offload;
        }

        @Override
        public int segmentationOffload() {
            return offload ? MAX_OFFLOADED_PACKET : 0;
        }

        @Override
        public void sendSegmented(ByteBuf packet, int segmentSize) {
            if (!offload) {
                LinkDevice.super.sendSegmented(packet, segmentSize);
            } else if (closed) {
                drop(packet, Drop.CLOSED);
            } else if (packet.readableBytes() > MAX_OFFLOADED_PACKET) {
                drop(packet, Drop.OVERSIZE);
            } else {
                PacketReceiver r = peer.receiver;
                if (r == null || !r.trustsOffloadedChecksums()) {
                    completePartialChecksum(packet); // as a device does for a stack that checks
                }
                out.offer(packet); // whole: the receiver takes a super-segment as GRO hands one over
            }
        }

        /** The TCP checksum of a super-segment holds only the pseudo-header sum: complete it. */
        private static void completePartialChecksum(ByteBuf packet) {
            int base = packet.readerIndex();
            // RFC 791: the protocol is octet 9; RFC 9293 §3.1: the TCP checksum is octets 16-17.
            if (packet.readableBytes() >= Ipv4Header.MIN_LENGTH
                    && packet.getUnsignedByte(base + 9) == Ipv4Header.PROTOCOL_TCP) {
                int ipLength = (packet.getUnsignedByte(base) & 0x0f) << 2;
                TcpSegmentation.completeChecksum(packet, ipLength, 16);
            }
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
            } else if (!offload) {
                r.onPacket(packet);
            } else {
                r.onPacket(packet, r.trustsOffloadedChecksums());
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
            return "SimLink." + name + "(mtu " + mtu + (offload ? ", offload" : "") + ")";
        }
    }
}
