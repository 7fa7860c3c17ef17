package dev.tuntcp.link;

import dev.tuntcp.wire.TcpSegmentation;
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

        /**
         * Whether this receiver honours {@link #onPacket(ByteBuf, boolean)}'s promise; a device with
         * checksum offload completes partial checksums itself for one that does not (decorators).
         */
        default boolean trustsOffloadedChecksums() {
            return false;
        }

        /**
         * One packet, as {@link #onPacket(ByteBuf)}; {@code transportChecksumTrusted}: the link vouches
         * for the transport (TCP) checksum, which need not be verified — the kernel handed the packet
         * over with checksum offload ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}): it never crossed a wire,
         * and its checksum field holds only the pseudo-header sum. Called with {@code true} only when
         * {@link #trustsOffloadedChecksums()}.
         */
        default void onPacket(ByteBuf packet, boolean transportChecksumTrusted) {
            onPacket(packet);
        }
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
     * The largest TCP/IPv4 packet {@link #sendSegmented} hands to the other side whole for it to cut
     * into segments (TCP segmentation offload), or 0 when this link has no such offload and a TCP
     * sender should build segments of one MSS. Links that wrap another (pcap, impairment) say 0, so
     * what they see and do is per wire segment.
     */
    default int segmentationOffload() {
        return 0;
    }

    /**
     * Sends a TCP/IPv4 packet that may be larger than the MTU, to go on the wire as segments of at
     * most {@code segmentSize} payload bytes (the peer's MSS): in one piece to a device with
     * {@link #segmentationOffload()} (the kernel segments it), otherwise cut here in software exactly
     * as the kernel would ({@link TcpSegmentation#split}) and each piece {@link #send sent}. The
     * packet's TCP checksum may hold only the pseudo-header sum: every path completes it. Takes
     * ownership of {@code packet}. A packet that is not TCP/IPv4 is dropped (the caller's bug; the
     * TCP layer only ever hands TCP here).
     */
    default void sendSegmented(ByteBuf packet, int segmentSize) {
        try {
            TcpSegmentation.split(packet, segmentSize, packet.alloc(), this::send);
        } finally {
            packet.release();
        }
    }

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
