package dev.tuntcp.tcp;

import dev.tuntcp.wire.TcpSegmentation;
import io.netty.buffer.ByteBuf;

/** Where {@link WireTcpOutput} sends finished IPv4 packets: IP output, or a link directly in tests. */
@FunctionalInterface
public interface PacketSink {
    /**
     * Sends one whole IPv4 packet ({@code readerIndex} to {@code writerIndex}). Takes ownership: the
     * sink releases the buffer once sent or dropped.
     */
    void send(ByteBuf packet);

    /**
     * Sends a TCP super-segment to go on the wire as pieces of at most {@code segmentSize} payload
     * octets (see {@link Segment#segmentSize}). Takes ownership. This default cuts it here, as the
     * kernel would ({@link TcpSegmentation#split}); a sink on a link with segmentation offload passes
     * it down whole.
     */
    default void sendSegmented(ByteBuf packet, int segmentSize) {
        try {
            TcpSegmentation.split(packet, segmentSize, packet.alloc(), this::send);
        } finally {
            packet.release();
        }
    }
}
