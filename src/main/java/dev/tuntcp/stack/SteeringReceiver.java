package dev.tuntcp.stack;

import dev.tuntcp.ip.TransportReceiver;
import dev.tuntcp.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.RejectedExecutionException;

/**
 * TCP's receiver on one loop of a {@link MultiQueueHost}, in front of that loop's own TCP: a datagram
 * whose connection this loop owns ({@link FlowSteering}) goes straight on; one owned by another loop
 * goes to that loop's {@link SegmentMailbox}. It sits after the IPv4 layer, so validation, ICMP echo
 * and fragment reassembly happen on the loop whose queue the packet arrived on, and a TCP segment that
 * arrived in fragments is steered once it is whole.
 *
 * <p>Per datagram this reads two ports and computes one SipHash: no allocation, no lock. The kernel
 * learns from what we send (its TUN flow table maps a flow to the queue we last wrote it on), so
 * after a connection's first answer its packets arrive on the owner's queue and this is the direct
 * path.
 */
final class SteeringReceiver implements TransportReceiver {
    /** A TCP header starts with the source and destination ports: four bytes. */
    private static final int PORT_BYTES = 4;

    private final int self;
    private final FlowSteering steering;
    private final TransportReceiver local;
    private final Counters counters;
    private final SegmentMailbox[] mailboxes;
    private final TransportReceiver[] owners;
    private final EventLoop[] loops;

    /**
     * @param self      this loop's index
     * @param local     this loop's own TCP receiver
     * @param mailboxes every loop's inbox, by index
     * @param owners    every loop's own TCP receiver, by index (for ICMP errors, run as tasks there)
     * @param loops     every loop, by index
     */
    SteeringReceiver(int self, FlowSteering steering, TransportReceiver local, Counters counters,
                     SegmentMailbox[] mailboxes, TransportReceiver[] owners, EventLoop[] loops) {
        this.self = self;
        this.steering = steering;
        this.local = local;
        this.counters = counters;
        this.mailboxes = mailboxes;
        this.owners = owners;
        this.loops = loops;
    }

    @Override
    public void onSegment(Ipv4Header ip, ByteBuf packet) {
        onSegment(ip, packet, false);
    }

    @Override
    public void onSegment(Ipv4Header ip, ByteBuf packet, boolean checksumTrusted) {
        int owner = ownerOf(ip, packet);
        if (owner == self) {
            deliverLocally(ip, packet, checksumTrusted);
            return;
        }
        counters.increment(SteeringCounter.HANDED_OVER);
        if (!mailboxes[owner].offer(packet, checksumTrusted)) {
            counters.increment(SteeringCounter.MAILBOX_FULL);
            packet.release();
        }
    }

    private void deliverLocally(Ipv4Header ip, ByteBuf packet, boolean checksumTrusted) {
        if (checksumTrusted) {
            local.onSegment(ip, packet, true);
        } else {
            local.onSegment(ip, packet);
        }
    }

    /**
     * The loop owning the datagram's connection; this loop when the segment is too short to name its
     * ports (TCP input then drops it with its reason).
     */
    private int ownerOf(Ipv4Header ip, ByteBuf packet) {
        if (ip.payloadLength() < PORT_BYTES) {
            return self;
        }
        int ports = packet.getInt(ip.payloadOffset());
        return steering.owner(ip.sourceAddress(), ports >>> 16, ip.destinationAddress(), ports & 0xffff);
    }

    /**
     * An ICMP error quoting one of our segments (RFC 792: the quoted IPv4 header, then at least 8
     * bytes of TCP, so both ports): the owner of the quoted connection handles it. The quote is only
     * borrowed, so another loop gets a copy, as a task (rare; an allocation here is fine).
     */
    @Override
    public void onIcmpError(int type, int code, int restOfHeader, ByteBuf quote, int quoteOffset, int quoteLength) {
        int headerLength = (quote.getUnsignedByte(quoteOffset) & 0x0f) << 2;
        if (quoteLength < headerLength + PORT_BYTES) {
            local.onIcmpError(type, code, restOfHeader, quote, quoteOffset, quoteLength);
            return;
        }
        int source = quote.getInt(quoteOffset + 12);
        int destination = quote.getInt(quoteOffset + 16);
        int ports = quote.getInt(quoteOffset + headerLength);
        int owner = steering.owner(source, ports >>> 16, destination, ports & 0xffff);
        if (owner == self) {
            local.onIcmpError(type, code, restOfHeader, quote, quoteOffset, quoteLength);
            return;
        }
        ByteBuf copy = Unpooled.copiedBuffer(quote.slice(quoteOffset, quoteLength));
        TransportReceiver target = owners[owner];
        counters.increment(SteeringCounter.ICMP_ERRORS_HANDED_OVER);
        try {
            loops[owner].execute(() -> {
                try {
                    target.onIcmpError(type, code, restOfHeader, copy, 0, copy.readableBytes());
                } finally {
                    copy.release();
                }
            });
        } catch (RejectedExecutionException stopped) {
            counters.increment(SteeringCounter.OWNER_STOPPED);
            copy.release();
        }
    }
}
