package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * The TCP options a stack acts on, as a reusable mutable holder: filled by {@link #read} from the
 * wire without allocating, or set by hand and written by {@link TcpOptionsWriter}. One instance per
 * thread (or per connection) is reused for every segment.
 *
 * <p>Known kinds: EOL (0) and NOP (1) (RFC 9293 §3.2), MSS (2, RFC 9293 §3.7.1), window scale
 * (3, RFC 7323 §2), SACK-permitted (4) and SACK (5) (RFC 2018), timestamps (8, RFC 7323 §3).
 * Any other kind is skipped by its length and counted in {@link #unknownCount()}. Repeated window
 * scale, SACK-permitted, SACK or timestamps options: the last one wins; a repeated MSS is an error.
 */
public final class TcpOptions {
    public static final int KIND_EOL = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;

    public static final int LENGTH_MSS = 4;
    public static final int LENGTH_WINDOW_SCALE = 3;
    public static final int LENGTH_SACK_PERMITTED = 2;
    public static final int LENGTH_TIMESTAMPS = 10;
    /** Bytes of one SACK block (left and right edge). */
    public static final int SACK_BLOCK_LENGTH = 8;
    /** The most SACK blocks a 40-byte option space can hold (RFC 2018 §3). */
    public static final int MAX_SACK_BLOCKS = 4;
    /** RFC 7323 §2.3: the largest shift a receiver uses. */
    public static final int MAX_WINDOW_SCALE = 14;
    /** The most option bytes a header carries (data offset 15). */
    public static final int MAX_LENGTH = 40;

    // Which of MSS, window scale, SACK-permitted and timestamps are present, one bit each: the fast
    // paths of TcpOptionsReader set all four with one store (issue 3's parse goal).
    private static final int MSS_BIT = 1;
    private static final int WINDOW_SCALE_BIT = 2;
    private static final int SACK_PERMITTED_BIT = 4;
    private static final int TIMESTAMPS_BIT = 8;

    private int present;
    private int mss;
    private int windowScale;
    private int rawWindowScale;
    private int tsVal;
    private int tsEcr;
    private int sackBlockCount;
    private final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[MAX_SACK_BLOCKS];
    private int unknownCount;
    private ParseError warning = ParseError.NONE;
    private final ByteView view = new ByteView();

    /** Forgets every option. */
    public TcpOptions clear() {
        present = 0;
        mss = 0;
        windowScale = 0;
        rawWindowScale = 0;
        tsVal = 0;
        tsEcr = 0;
        sackBlockCount = 0;
        unknownCount = 0;
        warning(ParseError.NONE);
        return this;
    }

    /**
     * Sets the warning only when it changes: a reference store costs a GC write barrier (a card
     * table check) on every parse, a visible share of the 20 ns goal of issue 3.
     */
    private void warning(ParseError value) {
        if (warning != value) {
            warning = value;
        }
    }

    /**
     * Clears this holder, then reads the option list of {@code length} bytes at absolute index
     * {@code offset} (RFC 9293 §3.2). Stops at EOL. Returns {@link ParseError#NONE}, or the first
     * error: a length byte of 0 or 1, an option or length byte past the end, a known kind with a
     * length its definition forbids, a second MSS. Fields read before an error stay set.
     *
     * <p>A window-scale shift above 14 is not an error: RFC 7323 §2.3 says the receiver MUST use 14
     * instead and SHOULD log it, so the shift is clamped to 14 ({@link #rawWindowScale()} keeps what
     * was sent) and {@link #warning()} returns {@link ParseError#TCP_OPTION_WINDOW_SCALE_CLAMPED}
     * for the caller to count.
     *
     * <p>A range outside the buffer's written bytes yields {@link ParseError#TCP_OPTION_OVERRUNS_HEADER}.
     */
    public ParseError read(ByteBuf buf, int offset, int length) {
        if (offset < 0 || length < 0 || length > buf.writerIndex() - offset) {
            clear();
            return ParseError.TCP_OPTION_OVERRUNS_HEADER; // the list runs past the bytes there are
        }
        view.bind(buf);
        return read(view, offset, length);
    }

    /** {@link #read(ByteBuf, int, int)} over a view already bound to a validated range. */
    ParseError read(ByteView v, int offset, int length) {
        return TcpOptionsReader.read(this, v, offset, length); // clears first unless a fast path sets every field
    }

    // ---- mutators for TcpOptionsReader: values exactly as received ----

    void receivedMss(int value) {
        present |= MSS_BIT;
        mss = value;
    }

    /** RFC 7323 §2.3: a shift above 14 is used as 14, and the fact kept for counting. */
    void receivedWindowScale(int shift) {
        present |= WINDOW_SCALE_BIT;
        rawWindowScale = shift;
        windowScale = Math.min(shift, MAX_WINDOW_SCALE);
        if (shift > MAX_WINDOW_SCALE) {
            warning(ParseError.TCP_OPTION_WINDOW_SCALE_CLAMPED);
        }
    }

    void receivedSackPermitted() {
        present |= SACK_PERMITTED_BIT;
    }

    void receivedTimestamps(int value, int echoReply) {
        present |= TIMESTAMPS_BIT;
        tsVal = value;
        tsEcr = echoReply;
    }

    /**
     * The whole result of reading Linux's SYN layout (MSS, SACK-permitted, timestamps, window
     * scale; see {@link TcpOptionsReader}): every field written once, without clearing first.
     */
    void receivedLinuxSyn(int mssValue, int tsValue, int tsEchoReply, int shift) {
        present = MSS_BIT | WINDOW_SCALE_BIT | SACK_PERMITTED_BIT | TIMESTAMPS_BIT;
        mss = mssValue;
        rawWindowScale = shift;
        windowScale = Math.min(shift, MAX_WINDOW_SCALE);
        tsVal = tsValue;
        tsEcr = tsEchoReply;
        sackBlockCount = 0;
        unknownCount = 0;
        warning(shift > MAX_WINDOW_SCALE ? ParseError.TCP_OPTION_WINDOW_SCALE_CLAMPED : ParseError.NONE);
    }

    /** The whole result of reading timestamps alone (Linux's data segments), every field written once. */
    void receivedTimestampsOnly(int tsValue, int tsEchoReply) {
        present = TIMESTAMPS_BIT;
        mss = 0;
        rawWindowScale = 0;
        windowScale = 0;
        tsVal = tsValue;
        tsEcr = tsEchoReply;
        sackBlockCount = 0;
        unknownCount = 0;
        warning(ParseError.NONE);
    }

    void receivedSackBlock(int index, int left, int right) {
        sackLeft[index] = left;
        sackRight[index] = right;
        sackBlockCount = index + 1;
    }

    void receivedUnknown() {
        unknownCount++;
    }

    public boolean hasMss() {
        return (present & MSS_BIT) != 0;
    }

    /** MSS value; 0 when absent. */
    public int mss() {
        return mss;
    }

    public TcpOptions mss(int value) {
        present |= MSS_BIT;
        mss = value & 0xffff;
        return this;
    }

    public TcpOptions clearMss() {
        present &= ~MSS_BIT;
        mss = 0;
        return this;
    }

    public boolean hasWindowScale() {
        return (present & WINDOW_SCALE_BIT) != 0;
    }

    /** The shift to use: at most 14 (clamped on read per RFC 7323 §2.3). */
    public int windowScale() {
        return windowScale;
    }

    /** The shift exactly as it was on the wire (may exceed 14). */
    public int rawWindowScale() {
        return rawWindowScale;
    }

    /** Sets the window-scale shift to send; the byte is written as given (0..255). */
    public TcpOptions windowScale(int shift) {
        present |= WINDOW_SCALE_BIT;
        rawWindowScale = shift & 0xff;
        windowScale = Math.min(rawWindowScale, MAX_WINDOW_SCALE);
        return this;
    }

    public TcpOptions clearWindowScale() {
        present &= ~WINDOW_SCALE_BIT;
        windowScale = 0;
        rawWindowScale = 0;
        return this;
    }

    public boolean sackPermitted() {
        return (present & SACK_PERMITTED_BIT) != 0;
    }

    public TcpOptions sackPermitted(boolean value) {
        present = value ? present | SACK_PERMITTED_BIT : present & ~SACK_PERMITTED_BIT;
        return this;
    }

    public boolean hasTimestamps() {
        return (present & TIMESTAMPS_BIT) != 0;
    }

    /** TSval (RFC 7323 §3.2); compare modulo 2^32. */
    public int tsVal() {
        return tsVal;
    }

    /** TSecr (RFC 7323 §3.2). */
    public int tsEcr() {
        return tsEcr;
    }

    public TcpOptions timestamps(int value, int echoReply) {
        present |= TIMESTAMPS_BIT;
        tsVal = value;
        tsEcr = echoReply;
        return this;
    }

    public TcpOptions clearTimestamps() {
        present &= ~TIMESTAMPS_BIT;
        tsVal = 0;
        tsEcr = 0;
        return this;
    }

    /** Number of SACK blocks (0..4). */
    public int sackBlockCount() {
        return sackBlockCount;
    }

    /** Left edge of SACK block {@code i} (first sequence number of the block). */
    public int sackLeft(int i) {
        return sackLeft[i];
    }

    /** Right edge of SACK block {@code i} (sequence number just after the block). */
    public int sackRight(int i) {
        return sackRight[i];
    }

    /**
     * Appends a SACK block; returns false (and changes nothing) when four blocks are already held.
     */
    public boolean addSackBlock(int left, int right) {
        if (sackBlockCount == MAX_SACK_BLOCKS) {
            return false;
        }
        sackLeft[sackBlockCount] = left;
        sackRight[sackBlockCount] = right;
        sackBlockCount++;
        return true;
    }

    public TcpOptions clearSackBlocks() {
        sackBlockCount = 0;
        return this;
    }

    /** Options of unknown kinds skipped by the last {@link #read}. */
    public int unknownCount() {
        return unknownCount;
    }

    /**
     * A non-fatal finding of the last {@link #read}: {@link ParseError#NONE} or
     * {@link ParseError#TCP_OPTION_WINDOW_SCALE_CLAMPED}.
     */
    public ParseError warning() {
        return warning;
    }

    /** Copies every field of {@code other} into this holder. */
    public TcpOptions copyFrom(TcpOptions other) {
        present = other.present;
        mss = other.mss;
        windowScale = other.windowScale;
        rawWindowScale = other.rawWindowScale;
        tsVal = other.tsVal;
        tsEcr = other.tsEcr;
        sackBlockCount = other.sackBlockCount;
        System.arraycopy(other.sackLeft, 0, sackLeft, 0, MAX_SACK_BLOCKS);
        System.arraycopy(other.sackRight, 0, sackRight, 0, MAX_SACK_BLOCKS);
        unknownCount = other.unknownCount;
        warning(other.warning);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TcpOptions{");
        if (hasMss()) {
            sb.append("mss ").append(mss).append(' ');
        }
        if (sackPermitted()) {
            sb.append("sackOK ");
        }
        if (hasTimestamps()) {
            sb.append("TS ").append(Integer.toUnsignedString(tsVal)).append(' ')
                    .append(Integer.toUnsignedString(tsEcr)).append(' ');
        }
        if (hasWindowScale()) {
            sb.append("wscale ").append(rawWindowScale).append(' ');
        }
        for (int i = 0; i < sackBlockCount; i++) {
            sb.append('{').append(Integer.toUnsignedString(sackLeft[i])).append(':')
                    .append(Integer.toUnsignedString(sackRight[i])).append("} ");
        }
        return sb.append('}').toString();
    }
}
