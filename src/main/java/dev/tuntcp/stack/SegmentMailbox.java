package dev.tuntcp.stack;

import dev.tuntcp.ip.TransportReceiver;
import dev.tuntcp.link.TunWaiter;
import dev.tuntcp.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;

/**
 * The inbox of one event loop of a {@link MultiQueueHost}: TCP datagrams that arrived on another
 * loop's TUN queue but belong to a connection this loop owns ({@link FlowSteering}). Any loop may
 * {@link #offer}; only the owner {@link #drain}s, delivering each datagram to its own TCP as if it had
 * read it itself.
 *
 * <p>Lock-free and allocation-free: two bounded multi-producer single-consumer array queues (JCTools'
 * MpscArrayQueue as shaded in Netty), one for datagrams whose TCP checksum the link vouched for
 * (checksum offload) and one for the rest, so that flag travels without a wrapper object. A full
 * inbox drops the datagram and counts it, like a NIC ring: the owner is far behind and TCP
 * retransmits. The producer wakes the owner through its {@link TunWaiter} (an eventfd write, skipped
 * while a wake-up is pending), whose level-triggered eventfd cannot lose a wake-up against the
 * owner's own sleep.
 */
final class SegmentMailbox {
    /** Datagrams the inbox holds per kind; at 64 KiB super-segments, at most 64 MiB in flight. */
    static final int CAPACITY = 1024;
    /** Datagrams one drain delivers at most, so handed-over input cannot starve the loop's own. */
    static final int DRAIN_BUDGET = 256;

    private final Queue<ByteBuf> plain = PlatformDependent.newFixedMpscQueue(CAPACITY);
    private final Queue<ByteBuf> trusted = PlatformDependent.newFixedMpscQueue(CAPACITY);
    private final TunWaiter ownerWaiter;
    private final Ipv4Header ip = new Ipv4Header();
    private TransportReceiver tcp;
    private Counters counters;

    SegmentMailbox(TunWaiter ownerWaiter) {
        this.ownerWaiter = ownerWaiter;
    }

    /** Where {@link #drain} delivers: the owner's TCP, counting into the owner's counters. */
    void deliverTo(TransportReceiver ownerTcp, Counters ownerCounters) {
        this.tcp = ownerTcp;
        this.counters = ownerCounters;
    }

    /**
     * Hands {@code packet} (a validated IPv4 datagram from its readerIndex, trimmed to its total
     * length) to the owner; takes ownership. False when the inbox was full: the caller still owns
     * the packet and must drop it.
     */
    boolean offer(ByteBuf packet, boolean checksumTrusted) {
        if (!(checksumTrusted ? trusted : plain).offer(packet)) {
            return false;
        }
        ownerWaiter.wakeup();
        return true;
    }

    /** Delivers what has arrived to the owner's TCP; owner loop only. Returns how many. */
    int drain() {
        int delivered = drain(trusted, true, DRAIN_BUDGET);
        return delivered + drain(plain, false, DRAIN_BUDGET - delivered);
    }

    private int drain(Queue<ByteBuf> queue, boolean checksumTrusted, int budget) {
        int n = 0;
        ByteBuf packet;
        while (n < budget && (packet = queue.poll()) != null) {
            n++;
            counters.increment(SteeringCounter.TAKEN_OVER);
            // The sending loop validated the header (or the reassembler built it); only the view is new.
            if (ip.wrap(packet, packet.readerIndex(), packet.readableBytes()).isError()) {
                counters.increment(SteeringCounter.HANDOVER_UNREADABLE);
                packet.release();
                continue;
            }
            if (checksumTrusted) {
                tcp.onSegment(ip, packet, true);
            } else {
                tcp.onSegment(ip, packet);
            }
        }
        return n;
    }

    /** Releases whatever is left; after every loop has stopped. Returns how many were released. */
    int close() {
        int n = 0;
        for (Queue<ByteBuf> q : java.util.List.of(plain, trusted)) {
            for (ByteBuf p; (p = q.poll()) != null; ) {
                p.release();
                n++;
            }
        }
        return n;
    }
}
