package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * A reusable view of a TCP segment (RFC 9293 §3.1) over a {@link ByteBuf} range: header, options and
 * payload. Nothing is copied or allocated. {@link #wrap} checks the structure; the checksum needs the
 * IPv4 addresses and is checked separately by {@link #verifyChecksum}; options are read into a
 * caller-owned {@link TcpOptions} by {@link #readOptions}. Flag combinations are not judged here
 * (see {@link TcpControl}).
 *
 * <p>Ownership: the view never retains or releases the buffer; the caller keeps it alive, and its
 * capacity unchanged, while the view is in use (options and checksum read it by address where Netty
 * allows). The fixed 20-byte header is read once by {@code wrap}: its getters return the values as
 * they were then, even if the buffer is written afterwards (wrap again to see changes). After
 * {@link #wrap(Ipv4Header)} the options are read through the IPv4 view's own binding (not a copy of
 * it): this view is a view of that datagram's payload, and wrapping the IPv4 view again ends it too.
 */
public final class TcpHeader {
    /** The header without options. */
    public static final int MIN_LENGTH = 20;
    /** The header with the most options (data offset 15). */
    public static final int MAX_LENGTH = 60;

    static final int SOURCE_PORT = 0;
    static final int DESTINATION_PORT = 2;
    static final int SEQ = 4;
    static final int ACK = 8;
    static final int DATA_OFFSET_FLAGS = 12;
    static final int WINDOW = 14;
    static final int CHECKSUM = 16;
    static final int URGENT_POINTER = 18;

    private final ByteView ownView = new ByteView();
    /** {@link #ownView} after {@link #wrap(ByteBuf, int, int)}; the IPv4 header's view after {@link #wrap(Ipv4Header)}. */
    private ByteView view = ownView;
    private ByteBuf buf;
    private int offset;
    private int segmentLength;
    private int headerLength;
    // The fixed 20 bytes as read by wrap, big-endian: bytes 0-7 (ports, seq), 8-15 (ack, data
    // offset and flags, window), 16-19 (checksum, urgent pointer). Getters shift and mask these, so
    // a field read touches neither the buffer nor the view (issue 3's parse goal).
    private long word0;
    private long word1;
    private int word2;

    /**
     * Points the view at a whole segment ({@code length} bytes from absolute index {@code offset})
     * and validates: the range lies in the buffer's written bytes and holds 20 bytes; data offset ≥
     * 5; data offset * 4 ≤ length.
     */
    public ParseError wrap(ByteBuf buf, int offset, int length) {
        if (this.buf != buf) { // skip the GC write barrier when the buffer is the same
            this.buf = buf;
        }
        if (view != ownView) {
            view = ownView;
        }
        this.offset = offset;
        if (offset < 0 || length < MIN_LENGTH || length > buf.writerIndex() - offset) {
            ownView.bindChecked(buf);
            return truncated();
        }
        ownView.bind(buf);
        return validate(ownView, offset, length);
    }

    /**
     * Wraps the payload of an IPv4 datagram already validated by {@code ip.wrap}. Its range is known
     * to lie in the buffer, so the buffer is not inspected again, and the IPv4 view's binding is
     * used as it is (see the class comment).
     */
    public ParseError wrap(Ipv4Header ip) {
        ByteBuf b = ip.buffer();
        if (buf != b) {
            buf = b;
        }
        ByteView v = ip.view();
        if (view != v) {
            view = v;
        }
        int at = ip.payloadOffset();
        this.offset = at;
        int length = ip.payloadLength();
        if (length < MIN_LENGTH) {
            return truncated();
        }
        return validate(v, at, length);
    }

    private ParseError truncated() {
        word0 = 0;
        word1 = 0;
        word2 = 0;
        return rejected(ParseError.TCP_TRUNCATED);
    }

    /** After a failed wrap no getter reaches past the bytes validated: no header, no options, no payload. */
    private ParseError rejected(ParseError error) {
        segmentLength = 0;
        headerLength = 0;
        return error;
    }

    /**
     * Reads the fixed header at {@code at} (the range is known to hold 20 bytes) and checks the
     * data offset.
     */
    private ParseError validate(ByteView v, int at, int length) {
        word0 = v.i64(at);
        long w1 = v.i64(at + ACK);
        word1 = w1;
        word2 = v.i32(at + CHECKSUM);
        int dataOffset = (int) (w1 >>> 28) & 0xf;
        if (dataOffset < 5) {
            return rejected(ParseError.TCP_DATA_OFFSET_TOO_SMALL);
        }
        int hlen = dataOffset << 2;
        if (hlen > length) {
            return rejected(ParseError.TCP_DATA_OFFSET_BEYOND_SEGMENT);
        }
        this.segmentLength = length;
        this.headerLength = hlen;
        return ParseError.NONE;
    }

    /**
     * Checks the checksum over the pseudo-header (RFC 9293 §3.1), header and payload: returns
     * {@link ParseError#NONE} or {@link ParseError#TCP_BAD_CHECKSUM}.
     */
    public ParseError verifyChecksum(int sourceAddress, int destinationAddress) {
        int pseudo = InternetChecksum.pseudoHeaderSum(sourceAddress, destinationAddress,
                Ipv4Header.PROTOCOL_TCP, segmentLength);
        int sum = InternetChecksum.add(pseudo, InternetChecksum.sum(buf, offset, segmentLength));
        return sum == 0xffff ? ParseError.NONE : ParseError.TCP_BAD_CHECKSUM;
    }

    /** Reads the options into {@code into} (reset first); see {@link TcpOptions#read}. */
    public ParseError readOptions(TcpOptions into) {
        return into.read(view, offset + MIN_LENGTH, headerLength - MIN_LENGTH);
    }

    public ByteBuf buffer() {
        return buf;
    }

    /** Absolute index of the first header byte. */
    public int offset() {
        return offset;
    }

    public int sourcePort() {
        return (int) (word0 >>> 48);
    }

    public int destinationPort() {
        return (int) (word0 >>> 32) & 0xffff;
    }

    /** Sequence number (compare with {@link SeqNum}). */
    public int seq() {
        return (int) word0;
    }

    /** Acknowledgement number; meaningful only when ACK is set. */
    public int ack() {
        return (int) (word1 >>> 32);
    }

    /** Data offset in 32-bit words. */
    public int dataOffset() {
        return headerLength >>> 2;
    }

    /** Header length in bytes, options included. */
    public int headerLength() {
        return headerLength;
    }

    /** The nine control bits ({@link TcpFlags} constants). */
    public int flags() {
        return (int) (word1 >>> 16) & TcpFlags.MASK;
    }

    /** The three reserved bits between data offset and AE (must be zero, RFC 9293 §3.1). */
    public int reserved() {
        return (int) (word1 >>> 25) & 0x7;
    }

    public boolean hasFlags(int required) {
        return (flags() & required) == required;
    }

    public boolean fin() {
        return (flags() & TcpFlags.FIN) != 0;
    }

    public boolean syn() {
        return (flags() & TcpFlags.SYN) != 0;
    }

    public boolean rst() {
        return (flags() & TcpFlags.RST) != 0;
    }

    public boolean psh() {
        return (flags() & TcpFlags.PSH) != 0;
    }

    public boolean ackFlag() {
        return (flags() & TcpFlags.ACK) != 0;
    }

    public boolean urg() {
        return (flags() & TcpFlags.URG) != 0;
    }

    public boolean ece() {
        return (flags() & TcpFlags.ECE) != 0;
    }

    public boolean cwr() {
        return (flags() & TcpFlags.CWR) != 0;
    }

    public boolean ae() {
        return (flags() & TcpFlags.AE) != 0;
    }

    /** How the control bits combine (legal or a named illegal combination). */
    public TcpControl control() {
        return TcpControl.classify(flags());
    }

    /** The raw (unscaled) window field. */
    public int window() {
        return (int) word1 & 0xffff;
    }

    public int checksum() {
        return word2 >>> 16;
    }

    public int urgentPointer() {
        return word2 & 0xffff;
    }

    /** Absolute index of the first option byte. */
    public int optionsOffset() {
        return offset + MIN_LENGTH;
    }

    public int optionsLength() {
        return headerLength - MIN_LENGTH;
    }

    /** Absolute index of the first payload byte. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    public int payloadLength() {
        return segmentLength - headerLength;
    }

    /** Header plus payload bytes. */
    public int segmentLength() {
        return segmentLength;
    }

    /**
     * Sequence space the segment occupies: payload plus one for SYN and one for FIN
     * (RFC 9293 §3.4 SEG.LEN).
     */
    public int sequenceLength() {
        int f = flags();
        return payloadLength() + (f & TcpFlags.SYN) / TcpFlags.SYN + (f & TcpFlags.FIN);
    }
}
