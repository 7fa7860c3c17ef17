package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * Builds the ICMP messages the IP layer sends: echo reply (RFC 792 p.14) and destination
 * unreachable (RFC 792 p.4, quoting the offending datagram's IP header and its first 8 data bytes;
 * RFC 1122 §3.2.2 allows more, Linux quotes more, we keep to the minimum). Each method writes a
 * whole IPv4 packet (20-byte header without DF, TTL 64) at {@code out}'s writer index, advances it,
 * and returns the bytes written. Allocation free.
 *
 * <p>Ownership: never retains or releases any buffer; source buffers are only read.
 */
public final class IcmpBuilder {
    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    /** RFC 792: the internet header plus the first 64 bits of the original datagram's data. */
    public static final int QUOTED_DATA_BYTES = 8;

    private IcmpBuilder() {
    }

    /**
     * Writes the echo reply to {@code request}: identifier, sequence and data copied, addresses as
     * given (normally the request's destination and source swapped).
     */
    public static int writeEchoReply(ByteBuf out, int source, int destination, int identification,
                                     IcmpEcho request) {
        int icmpLength = IcmpEcho.HEADER_LENGTH + request.payloadLength();
        int total = Ipv4Header.MIN_LENGTH + icmpLength;
        out.ensureWritable(total);
        int base = out.writerIndex();
        Ipv4HeaderWriter.write(out, base, 0, total, identification, false,
                Ipv4HeaderWriter.DEFAULT_TTL, Ipv4Header.PROTOCOL_ICMP, source, destination);
        writeEchoReplyMessage(out, base + Ipv4Header.MIN_LENGTH, request.identifier(), request.sequence(),
                request.buffer(), request.payloadOffset(), request.payloadLength());
        out.writerIndex(base + total);
        return total;
    }

    /**
     * Writes only the ICMP echo reply message (8-byte header, data, checksum) at absolute index
     * {@code offset}; returns its length. Indices are not moved.
     */
    public static int writeEchoReplyMessage(ByteBuf out, int offset, int identifier, int sequence,
                                            ByteBuf data, int dataOffset, int dataLength) {
        return writeMessage(out, offset, IcmpEcho.TYPE_ECHO_REPLY, 0,
                (identifier & 0xffff) << 16 | (sequence & 0xffff), data, dataOffset, dataLength);
    }

    /** Bytes of the quote taken from an offending datagram of {@code length} bytes at {@code offset}. */
    public static int quoteLength(ByteBuf original, int offset, int length) {
        if (length <= 0) {
            return 0;
        }
        int ihlBytes = (original.getUnsignedByte(offset) & 0x0f) << 2;
        return Math.min(length, Math.max(ihlBytes, Ipv4Header.MIN_LENGTH) + QUOTED_DATA_BYTES);
    }

    /**
     * Writes a destination-unreachable packet quoting the offending datagram ({@code originalLength}
     * bytes at {@code originalOffset}, starting with its IPv4 header).
     *
     * @param code one of the {@code CODE_*} constants
     * @param nextHopMtu for {@link #CODE_FRAGMENTATION_NEEDED} (RFC 1191 §4), else 0
     */
    public static int writeDestinationUnreachable(ByteBuf out, int source, int destination,
                                                  int identification, int code, int nextHopMtu,
                                                  ByteBuf original, int originalOffset, int originalLength) {
        int quote = quoteLength(original, originalOffset, originalLength);
        int total = Ipv4Header.MIN_LENGTH + IcmpEcho.HEADER_LENGTH + quote;
        out.ensureWritable(total);
        int base = out.writerIndex();
        Ipv4HeaderWriter.write(out, base, 0, total, identification, false,
                Ipv4HeaderWriter.DEFAULT_TTL, Ipv4Header.PROTOCOL_ICMP, source, destination);
        writeMessage(out, base + Ipv4Header.MIN_LENGTH, IcmpEcho.TYPE_DESTINATION_UNREACHABLE, code,
                nextHopMtu & 0xffff, original, originalOffset, quote);
        out.writerIndex(base + total);
        return total;
    }

    /**
     * Writes any ICMP message: type, code, the 4 bytes after the checksum, data, checksum. Returns
     * its length; indices are not moved.
     */
    public static int writeMessage(ByteBuf out, int offset, int type, int code, int restOfHeader,
                                   ByteBuf data, int dataOffset, int dataLength) {
        out.setByte(offset + IcmpEcho.TYPE, type);
        out.setByte(offset + IcmpEcho.CODE, code);
        out.setShort(offset + IcmpEcho.CHECKSUM, 0);
        out.setInt(offset + IcmpEcho.IDENTIFIER, restOfHeader);
        if (dataLength > 0) {
            out.setBytes(offset + IcmpEcho.HEADER_LENGTH, data, dataOffset, dataLength);
        }
        int length = IcmpEcho.HEADER_LENGTH + dataLength;
        out.setShort(offset + IcmpEcho.CHECKSUM, InternetChecksum.checksum(out, offset, length));
        return length;
    }
}
