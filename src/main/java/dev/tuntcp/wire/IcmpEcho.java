package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * A reusable view of an ICMP message (RFC 792) over a {@link ByteBuf} range, with the echo fields
 * (identifier, sequence number, data). The 4 bytes after the checksum are read as identifier and
 * sequence whatever the type; for other types use {@link #restOfHeader()}.
 *
 * <p>Ownership: the view never retains or releases the buffer; the caller keeps it alive, and its
 * capacity unchanged, while the view is in use.
 */
public final class IcmpEcho {
    public static final int HEADER_LENGTH = 8;
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;

    static final int TYPE = 0;
    static final int CODE = 1;
    static final int CHECKSUM = 2;
    static final int IDENTIFIER = 4;
    static final int SEQUENCE = 6;

    private final ByteView view = new ByteView();
    private ByteBuf buf;
    private int offset;
    private int length;

    /**
     * Points the view at a whole ICMP message and validates: the range lies in the written bytes and
     * holds 8 bytes; the checksum over the whole message verifies.
     */
    public ParseError wrap(ByteBuf buf, int offset, int length) {
        if (this.buf != buf) { // skip the GC write barrier when the buffer is the same
            this.buf = buf;
        }
        this.offset = offset;
        this.length = 0;
        if (offset < 0 || length < HEADER_LENGTH || length > buf.writerIndex() - offset) {
            view.bindChecked(buf);
            return ParseError.ICMP_TRUNCATED;
        }
        view.bind(buf);
        if (InternetChecksum.sum(buf, offset, length) != 0xffff) {
            return ParseError.ICMP_BAD_CHECKSUM;
        }
        this.length = length;
        return ParseError.NONE;
    }

    /** Wraps the payload of an IPv4 datagram already validated by {@code ip.wrap}. */
    public ParseError wrap(Ipv4Header ip) {
        return wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength());
    }

    public ByteBuf buffer() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    /** Bytes of the whole message (header and data). */
    public int length() {
        return length;
    }

    public int type() {
        return view.u8(offset + TYPE);
    }

    public int code() {
        return view.u8(offset + CODE);
    }

    public boolean isEchoRequest() {
        return type() == TYPE_ECHO_REQUEST && code() == 0;
    }

    public boolean isEchoReply() {
        return type() == TYPE_ECHO_REPLY && code() == 0;
    }

    public int checksum() {
        return view.u16(offset + CHECKSUM);
    }

    public int identifier() {
        return view.u16(offset + IDENTIFIER);
    }

    public int sequence() {
        return view.u16(offset + SEQUENCE);
    }

    /** Bytes 4-7 as one word (e.g. unused + next-hop MTU of "fragmentation needed", RFC 1191). */
    public int restOfHeader() {
        return view.i32(offset + IDENTIFIER);
    }

    /** Absolute index of the data after the 8-byte header. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }
}
