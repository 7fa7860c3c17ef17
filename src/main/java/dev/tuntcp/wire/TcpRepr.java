package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/**
 * A TCP segment as a value (the smoltcp "Repr" idea): every header field except data offset and
 * checksum, which {@link #emit} computes, the options in wire order and the payload bytes. For tests,
 * scripted segments and traces; the per-packet path uses {@link TcpHeader} and {@link SegmentBuilder}.
 *
 * <p>Round trip: {@code parse(emit(r)) == r} whenever {@code r.options()} already equals
 * {@link TcpOptionList#padded}{@code (r.options())}; otherwise the parsed value carries the padding.
 *
 * @param flags the nine control bits ({@link TcpFlags})
 * @param payload owned copy of the data (never a view of a packet buffer)
 */
public record TcpRepr(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
                      int urgentPointer, List<TcpOption> options, byte[] payload) {
    /**
     * @throws IllegalArgumentException when a field is out of range or the options need more than 40
     *     bytes (such a header cannot be expressed on the wire)
     */
    public TcpRepr {
        check("sourcePort", sourcePort, 0xffff);
        check("destinationPort", destinationPort, 0xffff);
        check("flags", flags, TcpFlags.MASK);
        check("window", window, 0xffff);
        check("urgentPointer", urgentPointer, 0xffff);
        options = List.copyOf(options);
        if (TcpOptionList.paddedLength(options) > TcpOptions.MAX_LENGTH) {
            throw new IllegalArgumentException("options exceed 40 bytes: " + options);
        }
        payload = payload.clone();
    }

    /** A segment without options or payload. */
    public static TcpRepr of(int sourcePort, int destinationPort, int seq, int ack, int flags, int window) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, 0, List.of(), new byte[0]);
    }

    public TcpRepr withOptions(List<TcpOption> newOptions) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, urgentPointer, newOptions, payload);
    }

    public TcpRepr withPayload(byte[] newPayload) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, urgentPointer, options, newPayload);
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** Header bytes including padded options. */
    public int headerLength() {
        return TcpHeader.MIN_LENGTH + TcpOptionList.paddedLength(options);
    }

    /** Header plus payload bytes. */
    public int length() {
        return headerLength() + payload.length;
    }

    /**
     * Parses a validated view (after {@code wrap} returned NONE); the checksum is not looked at.
     * Fails only if the options are malformed.
     */
    public static ParseResult<TcpRepr> parse(TcpHeader h) {
        ParseResult<List<TcpOption>> opts = TcpOptionList.parse(h.buffer(), h.optionsOffset(), h.optionsLength());
        if (!opts.isOk()) {
            return ParseResult.error(opts.error());
        }
        byte[] data = new byte[h.payloadLength()];
        h.buffer().getBytes(h.payloadOffset(), data);
        return ParseResult.ok(new TcpRepr(h.sourcePort(), h.destinationPort(), h.seq(), h.ack(), h.flags(),
                h.window(), h.urgentPointer(), opts.value(), data));
    }

    /** Wraps, verifies the checksum with the given pseudo-header addresses, and parses. */
    public static ParseResult<TcpRepr> parse(ByteBuf buf, int offset, int length, int sourceAddress,
                                             int destinationAddress) {
        TcpHeader h = new TcpHeader();
        ParseError e = h.wrap(buf, offset, length);
        if (e == ParseError.NONE) {
            e = h.verifyChecksum(sourceAddress, destinationAddress);
        }
        return e == ParseError.NONE ? parse(h) : ParseResult.error(e);
    }

    /**
     * Writes the segment (header, padded options, payload, checksum over the pseudo-header with the
     * given addresses) at absolute index {@code offset}; indices are not moved. Returns {@link #length()}.
     */
    public int emit(ByteBuf buf, int offset, int sourceAddress, int destinationAddress) {
        int hlen = headerLength();
        buf.setShort(offset + TcpHeader.SOURCE_PORT, sourcePort);
        buf.setShort(offset + TcpHeader.DESTINATION_PORT, destinationPort);
        buf.setInt(offset + TcpHeader.SEQ, seq);
        buf.setInt(offset + TcpHeader.ACK, ack);
        buf.setShort(offset + TcpHeader.DATA_OFFSET_FLAGS, (hlen >>> 2) << 12 | flags);
        buf.setShort(offset + TcpHeader.WINDOW, window);
        buf.setShort(offset + TcpHeader.CHECKSUM, 0);
        buf.setShort(offset + TcpHeader.URGENT_POINTER, urgentPointer);
        TcpOptionList.emit(options, buf, offset + TcpHeader.MIN_LENGTH);
        buf.setBytes(offset + hlen, payload);
        int len = hlen + payload.length;
        buf.setShort(offset + TcpHeader.CHECKSUM, InternetChecksum.transportChecksum(sourceAddress,
                destinationAddress, Ipv4Header.PROTOCOL_TCP, buf, offset, len));
        return len;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpRepr r && r.sourcePort == sourcePort && r.destinationPort == destinationPort
                && r.seq == seq && r.ack == ack && r.flags == flags && r.window == window
                && r.urgentPointer == urgentPointer && r.options.equals(options) && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        int h = sourcePort * 31 + destinationPort;
        h = h * 31 + seq;
        h = h * 31 + ack;
        h = h * 31 + flags;
        h = h * 31 + window;
        h = h * 31 + urgentPointer;
        h = h * 31 + options.hashCode();
        return h * 31 + Arrays.hashCode(payload);
    }

    /** Ports plus the tcpdump-style text of {@link TcpFormat}, e.g. {@code 45678 > 80 [S] seq 1 win 64240 <mss 1460>}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(sourcePort).append(" > ").append(destinationPort).append(' ');
        return TcpFormat.append(sb, flags, seq, ack, window, urgentPointer, payload.length, options).toString();
    }

    private static void check(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range 0.." + max + ": " + value);
        }
    }
}
