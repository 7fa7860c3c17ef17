package dev.tuntcp.tcp;

import dev.tuntcp.wire.SegmentBuilder;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The {@link TcpOutput} of a real stack: encodes each {@link Segment} as a whole IPv4 + TCP packet
 * (options, both checksums) with {@link SegmentBuilder} into a buffer from {@code allocator} (pooled direct in production) and hands
 * it to a {@link PacketSink}, which takes ownership. One builder and one options holder are reused,
 * so nothing but the packet buffer itself (pooled in production) is allocated per segment.
 */
public final class WireTcpOutput implements TcpOutput {
    private final ByteBufAllocator allocator;
    private final PacketSink sink;
    private final SegmentBuilder builder = new SegmentBuilder();
    private final TcpOptions options = new TcpOptions();

    public WireTcpOutput(ByteBufAllocator allocator, PacketSink sink) {
        this.allocator = allocator;
        this.sink = sink;
    }

    @Override
    public void send(Segment s) {
        builder.reset()
                .addresses(s.sourceAddress, s.destinationAddress)
                // DF is set, so the datagram is atomic and its ID carries no meaning (RFC 6864 §4.1):
                // 0 leaks nothing about how many packets the stack sends.
                .identification(0)
                .ports(s.sourcePort, s.destinationPort)
                .seq(s.seq)
                .ack(s.ack)
                .flags(s.flags)
                .window(s.window)
                .urgentPointer(s.urgentPointer)
                .options(fillOptions(s))
                .payload(s.data, s.dataIndex, s.dataLength)
                // A super-segment's checksums are computed per piece, by the kernel or in software.
                .partialChecksum(superSegment(s));
        ByteBuf packet = allocator.buffer(builder.length());
        try {
            builder.write(packet);
        } catch (RuntimeException e) {
            packet.release();
            throw e;
        }
        if (superSegment(s)) {
            sink.sendSegmented(packet, s.segmentSize); // a super-segment (SegmentationOffload)
        } else {
            sink.send(packet);
        }
    }

    private static boolean superSegment(Segment s) {
        return s.segmentSize > 0 && s.dataLength > s.segmentSize;
    }

    private TcpOptions fillOptions(Segment s) {
        if (s.mss < 0 && s.windowScale < 0 && !s.sackPermitted && !s.hasTimestamps && s.sackBlockCount == 0) {
            return null;
        }
        options.clear();
        if (s.mss >= 0) {
            options.mss(s.mss);
        }
        if (s.windowScale >= 0) {
            options.windowScale(s.windowScale);
        }
        options.sackPermitted(s.sackPermitted);
        if (s.hasTimestamps) {
            options.timestamps(s.tsVal, s.tsEcr);
        }
        for (int i = 0; i < s.sackBlockCount; i++) {
            options.addSackBlock(s.sackLeft[i], s.sackRight[i]);
        }
        return options;
    }
}
