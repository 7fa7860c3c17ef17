package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * Writes a whole IPv4+TCP packet — 20-byte IPv4 header, TCP header, options, payload, both checksums
 * — into a {@link ByteBuf}. A reusable, allocation-free builder: set the fields (they stay set until
 * changed or {@link #reset()}), then call {@link #write}.
 *
 * <pre>{@code
 * builder.reset().addresses(local, remote).identification(id)
 *        .ports(80, 45678).seq(iss).ack(rcvNxt).flags(TcpFlags.SYN | TcpFlags.ACK).window(65535)
 *        .options(opts).payload(data, from, len)
 *        .write(out);
 * }</pre>
 *
 * <p>Ownership: the builder never retains or releases a buffer. The options holder and the payload
 * buffer are only read during {@link #write}; the caller keeps them valid until then and releases
 * them as before.
 */
public final class SegmentBuilder {
    private int tos;
    private int identification;
    private int ttl;
    private boolean dontFragment;
    private int source;
    private int destination;
    private int sourcePort;
    private int destinationPort;
    private int seq;
    private int ack;
    private int flags;
    private int window;
    private int urgentPointer;
    private TcpOptions options;
    private ByteBuf payload;
    private int payloadOffset;
    private int payloadLength;
    private boolean partialChecksum;

    public SegmentBuilder() {
        reset();
    }

    /** Back to defaults: TTL 64, DF set (RFC 9293 path-MTU practice), everything else zero/empty. */
    public SegmentBuilder reset() {
        tos = 0;
        identification = 0;
        ttl = Ipv4HeaderWriter.DEFAULT_TTL;
        dontFragment = true;
        source = 0;
        destination = 0;
        sourcePort = 0;
        destinationPort = 0;
        seq = 0;
        ack = 0;
        flags = 0;
        window = 0;
        urgentPointer = 0;
        options = null;
        payload = null;
        payloadOffset = 0;
        payloadLength = 0;
        partialChecksum = false;
        return this;
    }

    /**
     * Leaves only the pseudo-header sum in the TCP checksum field (not complemented), for a device
     * that completes it over the TCP header and payload — checksum offload, as Linux leaves a
     * CHECKSUM_PARTIAL packet ({@link TcpSegmentation#writePartialChecksum}). Saves summing the
     * payload of a 64 KiB super-segment that the kernel segments and checksums anyway.
     */
    public SegmentBuilder partialChecksum(boolean value) {
        partialChecksum = value;
        return this;
    }

    public SegmentBuilder addresses(int sourceAddress, int destinationAddress) {
        this.source = sourceAddress;
        this.destination = destinationAddress;
        return this;
    }

    public SegmentBuilder identification(int id) {
        this.identification = id & 0xffff;
        return this;
    }

    public SegmentBuilder ttl(int value) {
        this.ttl = value & 0xff;
        return this;
    }

    public SegmentBuilder dontFragment(boolean value) {
        this.dontFragment = value;
        return this;
    }

    public SegmentBuilder tos(int value) {
        this.tos = value & 0xff;
        return this;
    }

    public SegmentBuilder ports(int sourcePort, int destinationPort) {
        this.sourcePort = sourcePort & 0xffff;
        this.destinationPort = destinationPort & 0xffff;
        return this;
    }

    public SegmentBuilder seq(int value) {
        this.seq = value;
        return this;
    }

    public SegmentBuilder ack(int value) {
        this.ack = value;
        return this;
    }

    /** The nine control bits ({@link TcpFlags}); any combination is written as given. */
    public SegmentBuilder flags(int value) {
        this.flags = value & TcpFlags.MASK;
        return this;
    }

    /** The raw 16-bit window field (already scaled down by the caller). */
    public SegmentBuilder window(int value) {
        this.window = value & 0xffff;
        return this;
    }

    public SegmentBuilder urgentPointer(int value) {
        this.urgentPointer = value & 0xffff;
        return this;
    }

    /** Options to write (read at {@link #write} time), or null for none. */
    public SegmentBuilder options(TcpOptions value) {
        this.options = value;
        return this;
    }

    /** Payload bytes copied at {@link #write} time from {@code buf} (not retained), or none if null. */
    public SegmentBuilder payload(ByteBuf buf, int offset, int length) {
        this.payload = length == 0 ? null : buf;
        this.payloadOffset = offset;
        this.payloadLength = buf == null ? 0 : length;
        return this;
    }

    /** No payload. */
    public SegmentBuilder noPayload() {
        return payload(null, 0, 0);
    }

    /** TCP header bytes including options. */
    public int tcpHeaderLength() {
        return TcpHeader.MIN_LENGTH + (options == null ? 0 : TcpOptionsWriter.length(options));
    }

    /** Bytes {@link #write} will add: IPv4 header, TCP header with options, payload. */
    public int length() {
        return Ipv4Header.MIN_LENGTH + tcpHeaderLength() + payloadLength;
    }

    /**
     * Appends the packet at {@code out}'s writer index (growing it if needed), advances the writer
     * index past it, and returns the number of bytes written.
     */
    public int write(ByteBuf out) {
        int total = length();
        out.ensureWritable(total);
        int base = out.writerIndex();
        writeAt(out, base);
        out.writerIndex(base + total);
        return total;
    }

    /**
     * Writes the packet at absolute index {@code offset}, which must have {@link #length()} bytes of
     * capacity; indices are not moved. Returns the number of bytes written.
     */
    public int writeAt(ByteBuf out, int offset) {
        int tcpHeaderLength = tcpHeaderLength();
        int segmentLength = tcpHeaderLength + payloadLength;
        int total = Ipv4Header.MIN_LENGTH + segmentLength;
        Ipv4HeaderWriter.write(out, offset, tos, total, identification, dontFragment, ttl,
                Ipv4Header.PROTOCOL_TCP, source, destination);
        int t = offset + Ipv4Header.MIN_LENGTH;
        writeTcpHeader(out, t, tcpHeaderLength);
        if (payloadLength > 0) {
            out.setBytes(t + tcpHeaderLength, payload, payloadOffset, payloadLength);
        }
        out.setShort(t + TcpHeader.CHECKSUM, partialChecksum
                ? InternetChecksum.pseudoHeaderSum(source, destination, Ipv4Header.PROTOCOL_TCP, segmentLength)
                : InternetChecksum.transportChecksum(source, destination, Ipv4Header.PROTOCOL_TCP, out, t, segmentLength));
        return total;
    }

    private void writeTcpHeader(ByteBuf out, int t, int tcpHeaderLength) {
        out.setShort(t + TcpHeader.SOURCE_PORT, sourcePort);
        out.setShort(t + TcpHeader.DESTINATION_PORT, destinationPort);
        out.setInt(t + TcpHeader.SEQ, seq);
        out.setInt(t + TcpHeader.ACK, ack);
        out.setShort(t + TcpHeader.DATA_OFFSET_FLAGS, (tcpHeaderLength >>> 2) << 12 | flags);
        out.setShort(t + TcpHeader.WINDOW, window);
        out.setShort(t + TcpHeader.CHECKSUM, 0);
        out.setShort(t + TcpHeader.URGENT_POINTER, urgentPointer);
        if (options != null) {
            TcpOptionsWriter.write(options, out, t + TcpHeader.MIN_LENGTH);
        }
    }
}
