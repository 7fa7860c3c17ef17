package dev.tuntcp.link;

import io.netty.buffer.ByteBuf;

/**
 * A point-to-point link that carries raw IPv4 packets (no link-layer header): the TUN device in
 * production, {@code SimLink} in tests. The stack above knows only this interface.
 */
public interface LinkDevice extends AutoCloseable {

    /** Receives packets from the link; called on the event-loop thread. */
    @FunctionalInterface
    interface PacketReceiver {
        /**
         * One packet, from {@code readerIndex} to {@code writerIndex}. The receiver takes ownership
         * and must release it (or hand it on).
         */
        void onPacket(ByteBuf packet);
    }

    /** The largest IPv4 packet the link carries. */
    int mtu();

    /** Registers where arriving packets go (replacing any previous receiver). */
    void setReceiver(PacketReceiver receiver);

    /**
     * Sends one IPv4 packet ({@code readerIndex} to {@code writerIndex}). Takes ownership: the device
     * releases the buffer once written (or dropped).
     */
    void send(ByteBuf packet);

    /**
     * Reads what has arrived without blocking and hands each packet to the receiver; returns how many
     * were delivered. Links that deliver on their own (the simulated link, through timers) return 0.
     */
    default int poll() {
        return 0;
    }

    @Override
    void close();
}
