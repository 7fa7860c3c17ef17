package dev.tuntcp.lab;

import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.Endpoint;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.TcpHeader;
import io.netty.buffer.ByteBuf;

/**
 * Reads a raw IPv4 packet on the lab's link as a trace {@link SegmentEvent} (what the fault hooks
 * match on and what they record when they drop or inject one). Not thread-safe; one per link.
 */
final class PacketView {
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();

    /**
     * The TCP segment in {@code packet} (borrowed: read, not retained), or null when it is not a
     * well-formed TCP segment. {@code IN} = towards the stack.
     */
    SegmentEvent read(ByteBuf packet, Direction direction, long nanos) {
        if (ip.wrap(packet, packet.readerIndex(), packet.readableBytes()).isError()
                || ip.protocol() != Ipv4Header.PROTOCOL_TCP || ip.isFragment()
                || tcp.wrap(ip).isError()) {
            return null;
        }
        return SegmentEvent.builder(direction)
                .nanos(nanos)
                .from(new Endpoint(ip.sourceAddress(), tcp.sourcePort()))
                .to(new Endpoint(ip.destinationAddress(), tcp.destinationPort()))
                .flags(tcp.flags())
                .seq(tcp.seq())
                .ack(tcp.ack())
                .window(tcp.window())
                .payloadLength(tcp.payloadLength())
                .build();
    }
}
