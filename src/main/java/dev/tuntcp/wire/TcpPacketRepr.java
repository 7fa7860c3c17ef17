package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * A whole IPv4+TCP packet as a value, for scripted-segment tests and fixtures: the IP header's
 * payload length always equals the segment's length.
 */
public record TcpPacketRepr(Ipv4Repr ip, TcpRepr tcp) {
    public TcpPacketRepr {
        if (ip.protocol() != Ipv4Header.PROTOCOL_TCP || ip.payloadLength() != tcp.length()) {
            throw new IllegalArgumentException("IP header does not carry this segment: " + ip + " / " + tcp);
        }
    }

    /** Builds the IP part around a segment: DF, TTL 64, the given identification. */
    public static TcpPacketRepr of(int source, int destination, int identification, TcpRepr tcp) {
        return new TcpPacketRepr(Ipv4Repr.of(source, destination, Ipv4Header.PROTOCOL_TCP, identification,
                tcp.length()), tcp);
    }

    /**
     * Parses a whole packet: IPv4 validation, protocol must be TCP, TCP structure, TCP checksum,
     * options. A datagram that is not TCP yields {@link ParseError#IPV4_NOT_TCP}.
     */
    public static ParseResult<TcpPacketRepr> parse(ByteBuf buf, int offset, int length) {
        Ipv4Header ip = new Ipv4Header();
        ParseError e = ip.wrap(buf, offset, length);
        if (e != ParseError.NONE) {
            return ParseResult.error(e);
        }
        if (ip.protocol() != Ipv4Header.PROTOCOL_TCP) {
            return ParseResult.error(ParseError.IPV4_NOT_TCP);
        }
        ParseResult<TcpRepr> tcp = TcpRepr.parse(buf, ip.payloadOffset(), ip.payloadLength(),
                ip.sourceAddress(), ip.destinationAddress());
        return tcp.isOk() ? ParseResult.ok(new TcpPacketRepr(Ipv4Repr.parse(ip), tcp.value()))
                : ParseResult.error(tcp.error());
    }

    /** Bytes {@link #emit} writes. */
    public int length() {
        return Ipv4Header.MIN_LENGTH + tcp.length();
    }

    /** Appends the packet at {@code out}'s writer index and advances it; returns the bytes written. */
    public int emit(ByteBuf out) {
        int n = length();
        out.ensureWritable(n);
        int base = out.writerIndex();
        ip.emit(out, base);
        tcp.emit(out, base + Ipv4Header.MIN_LENGTH, ip.source(), ip.destination());
        out.writerIndex(base + n);
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        Ipv4Address.append(sb, ip.source()).append(':').append(tcp.sourcePort()).append(" > ");
        Ipv4Address.append(sb, ip.destination()).append(':').append(tcp.destinationPort()).append(' ');
        return TcpFormat.append(sb, tcp.flags(), tcp.seq(), tcp.ack(), tcp.window(), tcp.urgentPointer(),
                tcp.payloadLength(), tcp.options()).toString();
    }
}
