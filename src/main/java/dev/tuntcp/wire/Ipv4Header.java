package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * A reusable view of an IPv4 header (RFC 791 §3.1) over a {@link ByteBuf} range; nothing is copied
 * and nothing is allocated. {@link #wrap} validates the header and returns {@link ParseError#NONE}
 * when every getter may be used; after any other result the getters are meaningless.
 *
 * <p>Ownership: the view never retains or releases the buffer; the caller keeps it alive, and its
 * capacity unchanged, while the view is in use (fields are read by address where Netty allows). Options are not interpreted, only skipped by IHL.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * |         Identification        |Flags|     Fragment Offset     |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * </pre>
 */
public final class Ipv4Header {
    /** The smallest header, IHL = 5. */
    public static final int MIN_LENGTH = 20;
    /** The largest header, IHL = 15. */
    public static final int MAX_LENGTH = 60;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    static final int VERSION_IHL = 0;
    static final int TOS = 1;
    static final int TOTAL_LENGTH = 2;
    static final int IDENTIFICATION = 4;
    static final int FLAGS_FRAGMENT = 6;
    static final int TTL = 8;
    static final int PROTOCOL = 9;
    static final int CHECKSUM = 10;
    static final int SOURCE = 12;
    static final int DESTINATION = 16;

    static final int FLAG_DF = 0x4000;
    static final int FLAG_MF = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    private final ByteView view = new ByteView();
    private ByteBuf buf;
    private int offset;
    private int headerLength;
    private int totalLength;

    /**
     * Points the view at {@code length} bytes of {@code buf} from absolute index {@code offset} and
     * validates, in this order: the range lies within the buffer's written bytes and holds 20 bytes;
     * version 4; IHL ≥ 5; IHL within the range; total length within the range and not below IHL;
     * header checksum. Bytes after total length (link padding) are ignored.
     */
    public ParseError wrap(ByteBuf buf, int offset, int length) {
        if (this.buf != buf) { // skip the GC write barrier when the buffer is the same
            this.buf = buf;
        }
        this.offset = offset;
        this.headerLength = 0;
        this.totalLength = 0;
        if (offset < 0 || length < MIN_LENGTH || length > buf.writerIndex() - offset) {
            view.bindChecked(buf);
            return ParseError.IPV4_TRUNCATED;
        }
        view.bind(buf);
        int firstWord = view.i32(offset + VERSION_IHL);
        int versionIhl = firstWord >>> 24;
        if (versionIhl >>> 4 != 4) {
            return ParseError.IPV4_BAD_VERSION;
        }
        int ihl = versionIhl & 0x0f;
        if (ihl < 5) {
            return ParseError.IPV4_IHL_TOO_SMALL;
        }
        int hlen = ihl << 2;
        if (hlen > length) {
            return ParseError.IPV4_IHL_BEYOND_BUFFER;
        }
        int total = firstWord & 0xffff;
        if (total > length) {
            return ParseError.IPV4_TOTAL_LENGTH_BEYOND_BUFFER;
        }
        if (total < hlen) {
            return ParseError.IPV4_TOTAL_LENGTH_BELOW_HEADER;
        }
        // RFC 1071: the sum over a header that carries a correct checksum is 0xffff.
        if (headerSum(offset, hlen) != 0xffff) {
            return ParseError.IPV4_BAD_CHECKSUM;
        }
        this.headerLength = hlen;
        this.totalLength = total;
        return ParseError.NONE;
    }

    /**
     * The one's-complement sum of the header. The usual 20-byte header is summed here as five
     * 32-bit words already in hand (folding 32-bit big-endian words gives the same 16-bit sum,
     * RFC 1071 §2(B)); longer headers go to {@link InternetChecksum#sum}.
     */
    private int headerSum(int offset, int hlen) {
        if (hlen != MIN_LENGTH) {
            return InternetChecksum.sum(buf, offset, hlen);
        }
        long acc = (view.i32(offset) & 0xffffffffL) + (view.i32(offset + 4) & 0xffffffffL)
                + (view.i32(offset + 8) & 0xffffffffL) + (view.i32(offset + 12) & 0xffffffffL)
                + (view.i32(offset + 16) & 0xffffffffL);
        return InternetChecksum.fold(acc);
    }

    /** The view's binding, for a transport view over the payload of this datagram. */
    ByteView view() {
        return view;
    }

    /** The buffer last wrapped (not retained). */
    public ByteBuf buffer() {
        return buf;
    }

    /** Absolute index of the first header byte. */
    public int offset() {
        return offset;
    }

    public int version() {
        return view.u8(offset + VERSION_IHL) >>> 4;
    }

    /** The header length in bytes (IHL * 4), options included. */
    public int headerLength() {
        return headerLength;
    }

    /** Bytes of IPv4 options (header length minus 20). */
    public int optionsLength() {
        return headerLength - MIN_LENGTH;
    }

    /** The whole type-of-service byte (DSCP and ECN). */
    public int tos() {
        return view.u8(offset + TOS);
    }

    /** Differentiated services code point (RFC 2474), the upper six bits of the TOS byte. */
    public int dscp() {
        return tos() >>> 2;
    }

    /** Explicit congestion notification codepoint (RFC 3168), the lower two bits of the TOS byte. */
    public int ecn() {
        return tos() & 0x3;
    }

    /** Total length of the datagram (header and payload) in bytes. */
    public int totalLength() {
        return totalLength;
    }

    public int identification() {
        return view.u16(offset + IDENTIFICATION);
    }

    /** The reserved flag bit (must be zero, RFC 791). */
    public boolean reservedFlag() {
        return (view.u16(offset + FLAGS_FRAGMENT) & 0x8000) != 0;
    }

    /** Don't Fragment. */
    public boolean dontFragment() {
        return (view.u16(offset + FLAGS_FRAGMENT) & FLAG_DF) != 0;
    }

    /** More Fragments. */
    public boolean moreFragments() {
        return (view.u16(offset + FLAGS_FRAGMENT) & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffset() {
        return (view.u16(offset + FLAGS_FRAGMENT) & FRAGMENT_OFFSET_MASK) << 3;
    }

    /** True when this datagram is a fragment (MF set or a non-zero fragment offset). */
    public boolean isFragment() {
        return (view.u16(offset + FLAGS_FRAGMENT) & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return view.u8(offset + TTL);
    }

    public int protocol() {
        return view.u8(offset + PROTOCOL);
    }

    public int headerChecksum() {
        return view.u16(offset + CHECKSUM);
    }

    public int sourceAddress() {
        return view.i32(offset + SOURCE);
    }

    public int destinationAddress() {
        return view.i32(offset + DESTINATION);
    }

    /** Absolute index of the first payload byte. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** Payload bytes: total length minus header length (link padding excluded). */
    public int payloadLength() {
        return totalLength - headerLength;
    }
}
