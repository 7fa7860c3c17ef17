package dev.tuntcp.ip;

import dev.tuntcp.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;

/**
 * A transport protocol (TCP) registered with {@link Ipv4Input#register} for one protocol number.
 * Called on the event-loop thread.
 */
public interface TransportReceiver {

    /**
     * One validated, reassembled datagram addressed to us.
     *
     * @param ip     a view of its IPv4 header, reused by the IP layer: valid only during this call
     * @param packet the whole datagram, from {@code readerIndex} (the IPv4 header) to
     *               {@code writerIndex} (trimmed to the total length); the receiver takes ownership and
     *               must release it (or keep it, e.g. as a retained slice of the payload)
     */
    void onSegment(Ipv4Header ip, ByteBuf packet);

    /**
     * As {@link #onSegment(Ipv4Header, ByteBuf)}; {@code checksumTrusted}: the link vouched for the
     * transport checksum (checksum offload, see {@code LinkDevice.PacketReceiver#onPacket(ByteBuf,
     * boolean)}), which then holds only the pseudo-header sum and must not be verified.
     */
    default void onSegment(Ipv4Header ip, ByteBuf packet, boolean checksumTrusted) {
        onSegment(ip, packet);
    }

    /**
     * An ICMP error (destination unreachable, time exceeded, parameter problem, RFC 792) about a
     * datagram of this protocol that we sent; for RFC 5927/RFC 1191 handling. The quote is borrowed:
     * valid only during the call, not to be released.
     *
     * @param restOfHeader bytes 4-7 of the ICMP header (e.g. the next-hop MTU of "fragmentation needed")
     * @param quote        the buffer holding the quoted datagram: its IPv4 header (checksum and total
     *                     length as sent, so not re-validated) then at least 8 bytes of its payload
     */
    default void onIcmpError(int type, int code, int restOfHeader, ByteBuf quote, int quoteOffset, int quoteLength) {
    }
}
