package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * A reusable view of an IPv4 header (RFC 791 §3.1) over a {@link ByteBuf} range; nothing is copied
 * and nothing is allocated. {@link #wrap} validates the header and returns {@link ParseError#NONE}
 * when every getter may be used; after any other result the getters are meaningless.
 *
 * <p>Ownership: the view never retains or releases the buffer; the caller keeps it alive, and its
 * capacity unchanged, while the view is in use (a transport view over the payload reads it by
 * address where Netty allows). The fixed header's fields are read once by {@link #wrap}. Options are
 * not interpreted, only skipped by IHL.
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
    /** Version 4 and IHL 5 in the first byte: the header without options. */
    static final int VERSION_4_NO_OPTIONS = 0x45;
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
    // The fixed 20 bytes as read by wrap, big-endian: bytes 0-7 (version … fragment offset),
    // 8-15 (TTL … source), 16-19 (destination). Every getter derives its field from these with a
    // shift and a mask, so a field read touches neither the buffer nor the view (issue 3's parse
    // goal: three loads per header instead of one dispatched load per field).
    private long word0;
    private long word1;
    private int destination;

    /**
     * Points the view at {@code length} bytes of {@code buf} from absolute index {@code offset} and
     * validates, in this order: the range lies within the buffer's written bytes and holds 20 bytes;
     * version 4; IHL ≥ 5; IHL within the range; total length within the range and not below IHL;
     * header checksum. Bytes after total length (link padding) are ignored.
     *
     * <p>The fixed 20-byte header is read once, here: its getters return the values as they were at
     * {@code wrap}, even if the buffer is written afterwards (wrap again to see changes).
     */
    public ParseError wrap(ByteBuf buf, int offset, int length) {
        if (this.buf != buf) { // skip the GC write barrier when the buffer is the same
            this.buf = buf;
        }
        this.offset = offset;
        if (offset < 0 || length < MIN_LENGTH || length > buf.writerIndex() - offset) {
            view.bindChecked(buf);
            word0 = 0;
            word1 = 0;
            destination = 0;
            return rejected(ParseError.IPV4_TRUNCATED);
        }
        view.bind(buf);
        long w0 = view.i64(offset);
        long w1 = view.i64(offset + TTL);
        int w2 = view.i32(offset + DESTINATION);
        word0 = w0;
        word1 = w1;
        destination = w2;
        int versionIhl = (int) (w0 >>> 56);
        int total = (int) (w0 >>> 32) & 0xffff;
        if (versionIhl == VERSION_4_NO_OPTIONS) {
            // The usual header: version and IHL are right and 20 bytes are known to be there, so
            // only the total length and the checksum are left to check (in the order below).
            if (total > length) {
                return rejected(ParseError.IPV4_TOTAL_LENGTH_BEYOND_BUFFER);
            }
            if (total < MIN_LENGTH) {
                return rejected(ParseError.IPV4_TOTAL_LENGTH_BELOW_HEADER);
            }
            // RFC 1071: the sum over a header that carries a correct checksum is 0xffff. Summed
            // from the words in hand as five 32-bit halves (folding 32-bit big-endian words gives
            // the same 16-bit sum, RFC 1071 §2(B)).
            long sum = (w0 >>> 32) + (w0 & 0xffffffffL) + (w1 >>> 32) + (w1 & 0xffffffffL) + (w2 & 0xffffffffL);
            if (!InternetChecksum.foldsToAllOnes(sum)) {
                return rejected(ParseError.IPV4_BAD_CHECKSUM);
            }
            this.headerLength = MIN_LENGTH;
            this.totalLength = total;
            return ParseError.NONE;
        }
        return validateWithOptions(offset, length, versionIhl, total);
    }

    /** The checks of {@link #wrap} for any header but version 4 with IHL 5, in the documented order. */
    private ParseError validateWithOptions(int offset, int length, int versionIhl, int total) {
        if (versionIhl >>> 4 != 4) {
            return rejected(ParseError.IPV4_BAD_VERSION);
        }
        int ihl = versionIhl & 0x0f;
        if (ihl < 5) {
            return rejected(ParseError.IPV4_IHL_TOO_SMALL);
        }
        int hlen = ihl << 2;
        if (hlen > length) {
            return rejected(ParseError.IPV4_IHL_BEYOND_BUFFER);
        }
        if (total > length) {
            return rejected(ParseError.IPV4_TOTAL_LENGTH_BEYOND_BUFFER);
        }
        if (total < hlen) {
            return rejected(ParseError.IPV4_TOTAL_LENGTH_BELOW_HEADER);
        }
        // RFC 1071: the sum over a header that carries a correct checksum is 0xffff.
        if (InternetChecksum.sum(buf, offset, hlen) != 0xffff) {
            return rejected(ParseError.IPV4_BAD_CHECKSUM);
        }
        this.headerLength = hlen;
        this.totalLength = total;
        return ParseError.NONE;
    }

    /** After a failed wrap no getter reaches past the bytes validated: no header, no payload. */
    private ParseError rejected(ParseError error) {
        headerLength = 0;
        totalLength = 0;
        return error;
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
        return (int) (word0 >>> 60);
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
        return (int) (word0 >>> 48) & 0xff;
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
        return (int) (word0 >>> 16) & 0xffff;
    }

    /** The 16 bits of flags and fragment offset. */
    private int flagsFragment() {
        return (int) word0 & 0xffff;
    }

    /** The reserved flag bit (must be zero, RFC 791). */
    public boolean reservedFlag() {
        return (flagsFragment() & 0x8000) != 0;
    }

    /** Don't Fragment. */
    public boolean dontFragment() {
        return (flagsFragment() & FLAG_DF) != 0;
    }

    /** More Fragments. */
    public boolean moreFragments() {
        return (flagsFragment() & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffset() {
        return (flagsFragment() & FRAGMENT_OFFSET_MASK) << 3;
    }

    /** True when this datagram is a fragment (MF set or a non-zero fragment offset). */
    public boolean isFragment() {
        return (flagsFragment() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return (int) (word1 >>> 56);
    }

    public int protocol() {
        return (int) (word1 >>> 48) & 0xff;
    }

    public int headerChecksum() {
        return (int) (word1 >>> 32) & 0xffff;
    }

    public int sourceAddress() {
        return (int) word1;
    }

    public int destinationAddress() {
        return destination;
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
