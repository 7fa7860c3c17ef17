package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Checksum and segmentation offload done in software, the way Linux does it for a device that cannot
 * (net/ipv4/tcp_offload.c {@code tcp_gso_segment}, net/ipv4/af_inet.c {@code inet_gso_segment}):
 * <ul>
 *   <li>{@link #split}: one TCP/IPv4 "super-segment" of many MSS becomes packets of at most
 *       {@code segmentSize} payload bytes each, every one with the same headers and options except
 *       that the sequence number advances by the payload before it, FIN and PSH stay only on the last
 *       piece and CWR only on the first (RFC 3168 §6.1.2: CWR once per window reduction), the IP
 *       Identification counts up from the original and both checksums are recomputed;</li>
 *   <li>{@link #completeChecksum}: a packet whose checksum field holds only the pseudo-header sum
 *       ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}, the kernel's CHECKSUM_PARTIAL) gets the full checksum;</li>
 *   <li>{@link #writePartialChecksum}: the reverse, for a packet the kernel will complete.</li>
 * </ul>
 * Nothing here throws on packet content: a packet that is not a well-formed unfragmented TCP/IPv4
 * datagram yields an {@link Outcome} and is left alone.
 */
public final class TcpSegmentation {
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private TcpSegmentation() {
    }

    /** What {@link #split} and {@link #completeChecksum} did. */
    public enum Outcome {
        /** Done (for {@link #split}: at least one packet was handed on). */
        DONE,
        /** Not version 4, header or total length out of bounds, or a fragment. */
        MALFORMED_IP,
        /** Not protocol 6, or a TCP header that does not fit. */
        NOT_TCP,
        /** A segment size of 0, or a checksum position outside the packet. */
        BAD_OFFLOAD_REQUEST
    }

    /** Receives each packet {@link #split} makes; takes ownership. */
    @FunctionalInterface
    public interface PacketConsumer {
        void accept(ByteBuf packet);
    }

    /**
     * Cuts the TCP/IPv4 packet {@code packet[readerIndex, writerIndex)} into packets with at most
     * {@code segmentSize} payload bytes each, allocated from {@code alloc}, handed to {@code out} in
     * order (which takes ownership of each). {@code packet} is only read; the caller keeps (and
     * releases) it. A packet with no more payload than {@code segmentSize} comes out as one copy
     * with recomputed checksums.
     */
    public static Outcome split(ByteBuf packet, int segmentSize, ByteBufAllocator alloc, PacketConsumer out) {
        if (segmentSize <= 0) {
            return Outcome.BAD_OFFLOAD_REQUEST;
        }
        int base = packet.readerIndex();
        Outcome check = checkTcp(packet);
        if (check != Outcome.DONE) {
            return check;
        }
        int ipLength = (packet.getUnsignedByte(base) & 0x0f) << 2;
        int total = packet.getUnsignedShort(base + Ipv4Header.TOTAL_LENGTH);
        int t = base + ipLength;
        int tcpLength = (packet.getUnsignedByte(t + TcpHeader.DATA_OFFSET_FLAGS) >>> 4) << 2;
        int headers = ipLength + tcpLength;
        int payload = total - headers;
        int id = packet.getUnsignedShort(base + Ipv4Header.IDENTIFICATION);
        int seq = packet.getInt(t + TcpHeader.SEQ);
        int flags = packet.getUnsignedByte(t + TcpHeader.DATA_OFFSET_FLAGS + 1);
        int source = packet.getInt(base + Ipv4Header.SOURCE);
        int destination = packet.getInt(base + Ipv4Header.DESTINATION);
        int done = 0;
        int index = 0;
        do {
            int length = Math.min(segmentSize, payload - done);
            boolean first = done == 0;
            boolean last = done + length == payload;
            ByteBuf piece = alloc.directBuffer(headers + length);
            piece.writeBytes(packet, base, headers);
            piece.writeBytes(packet, base + headers + done, length);
            piece.setShort(Ipv4Header.TOTAL_LENGTH, headers + length);
            piece.setShort(Ipv4Header.IDENTIFICATION, (id + index) & 0xffff);
            Ipv4HeaderWriter.updateChecksum(piece, 0);
            piece.setInt(ipLength + TcpHeader.SEQ, seq + done);
            int pieceFlags = flags;
            if (!last) {
                pieceFlags &= ~(FIN | PSH);
            }
            if (!first) {
                pieceFlags &= ~CWR;
            }
            piece.setByte(ipLength + TcpHeader.DATA_OFFSET_FLAGS + 1, pieceFlags);
            piece.setShort(ipLength + TcpHeader.CHECKSUM, 0);
            piece.setShort(ipLength + TcpHeader.CHECKSUM, InternetChecksum.transportChecksum(source, destination,
                    Ipv4Header.PROTOCOL_TCP, piece, ipLength, tcpLength + length));
            out.accept(piece);
            done += length;
            index++;
        } while (done < payload);
        return Outcome.DONE;
    }

    /**
     * Completes a partial checksum in place: the 16-bit field at {@code start + offset} (relative to
     * the packet's reader index) already holds the pseudo-header sum; the one's-complement sum from
     * {@code start} to the end of the packet, complemented, replaces it (RFC 1071 §1; the device side
     * of CHECKSUM_PARTIAL in include/linux/skbuff.h).
     */
    public static Outcome completeChecksum(ByteBuf packet, int start, int offset) {
        int length = packet.readableBytes();
        if (start < 0 || offset < 0 || start + offset + 2 > length) {
            return Outcome.BAD_OFFLOAD_REQUEST;
        }
        int base = packet.readerIndex();
        int sum = InternetChecksum.sum(packet, base + start, length - start);
        packet.setShort(base + start + offset, ~sum & 0xffff);
        return Outcome.DONE;
    }

    /**
     * Replaces the TCP checksum of the well-formed TCP/IPv4 packet at {@code packet}'s reader index
     * by its pseudo-header sum (source, destination, protocol, TCP length; not complemented), which
     * a device completes over the TCP header and payload — what Linux's {@code __tcp_v4_send_check}
     * leaves for CHECKSUM_PARTIAL. The caller has built the packet, so it is not re-validated.
     */
    public static void writePartialChecksum(ByteBuf packet) {
        int base = packet.readerIndex();
        int ipLength = (packet.getUnsignedByte(base) & 0x0f) << 2;
        int total = packet.getUnsignedShort(base + Ipv4Header.TOTAL_LENGTH);
        int pseudo = InternetChecksum.pseudoHeaderSum(packet.getInt(base + Ipv4Header.SOURCE),
                packet.getInt(base + Ipv4Header.DESTINATION), Ipv4Header.PROTOCOL_TCP, total - ipLength);
        packet.setShort(base + ipLength + TcpHeader.CHECKSUM, pseudo);
    }

    /** Whether {@code packet} is an unfragmented IPv4 datagram carrying a whole TCP header. */
    public static Outcome checkTcp(ByteBuf packet) {
        int base = packet.readerIndex();
        int available = packet.readableBytes();
        if (available < Ipv4Header.MIN_LENGTH || (packet.getUnsignedByte(base) >>> 4) != 4) {
            return Outcome.MALFORMED_IP;
        }
        int ipLength = (packet.getUnsignedByte(base) & 0x0f) << 2;
        int total = packet.getUnsignedShort(base + Ipv4Header.TOTAL_LENGTH);
        int fragment = packet.getUnsignedShort(base + Ipv4Header.FLAGS_FRAGMENT);
        if (ipLength < Ipv4Header.MIN_LENGTH || total < ipLength || total > available
                || (fragment & (Ipv4Header.FLAG_MF | Ipv4Header.FRAGMENT_OFFSET_MASK)) != 0) {
            return Outcome.MALFORMED_IP;
        }
        if (packet.getUnsignedByte(base + Ipv4Header.PROTOCOL) != Ipv4Header.PROTOCOL_TCP
                || total - ipLength < TcpHeader.MIN_LENGTH) {
            return Outcome.NOT_TCP;
        }
        int tcpLength = (packet.getUnsignedByte(base + ipLength + TcpHeader.DATA_OFFSET_FLAGS) >>> 4) << 2;
        if (tcpLength < TcpHeader.MIN_LENGTH || ipLength + tcpLength > total) {
            return Outcome.NOT_TCP;
        }
        return Outcome.DONE;
    }
}
