package dev.tuntcp.tcp;

import io.netty.buffer.ByteBuf;

/** Where {@link WireTcpOutput} sends finished IPv4 packets: IP output, or a link directly in tests. */
@FunctionalInterface
public interface PacketSink {
    /**
     * Sends one whole IPv4 packet ({@code readerIndex} to {@code writerIndex}). Takes ownership: the
     * sink releases the buffer once sent or dropped.
     */
    void send(ByteBuf packet);
}
