package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;
import io.netty.buffer.ByteBuf;

/**
 * One TCP segment as the state machine sees it: the header fields, the parsed options and the data,
 * with no raw bytes to interpret (DESIGN §7, smoltcp's "Repr"). The state machine reads these and
 * fills them for output; only {@code TcpInput} and the {@link TcpOutput} implementations touch the
 * wire format.
 *
 * <p>A {@code Segment} is a reusable struct: the stack keeps one for input and one for output and
 * {@link #clear()}s it before each use, so the hot path allocates nothing.
 *
 * <p><b>Ownership of the data.</b> {@link #data} is <em>borrowed</em>: the bytes
 * {@code data[dataIndex, dataIndex + dataLength)} are valid only for the duration of the call that
 * received the segment ({@link TcpLayer#input} or {@link TcpOutput#send}). Whoever wants to keep them
 * copies them; nobody retains or releases {@code data} through a {@code Segment}.
 */
public final class Segment {
    /** Flag bits as they sit in the TCP header's flags byte (RFC 9293 §3.1). */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** Most SACK blocks that fit in the option space (RFC 2018 §3). */
    public static final int MAX_SACK_BLOCKS = 4;

    /** IPv4 addresses (host byte order ints) and ports (0..65535). */
    public int sourceAddress;
    public int destinationAddress;
    public int sourcePort;
    public int destinationPort;

    /** SEG.SEQ and SEG.ACK (the latter meaningful only with {@link #ACK}). */
    public int seq;
    public int ack;
    /** The flag bits ({@link #SYN}, {@link #ACK}, ...). */
    public int flags;
    /** SEG.WND as carried in the header (0..65535, before any window scaling). */
    public int window;
    /** SEG.UP (meaningful only with {@link #URG}). */
    public int urgentPointer;

    /** MSS option (RFC 9293 §3.7.1), or -1 when absent. */
    public int mss = -1;
    /** Window-scale shift (RFC 7323 §2), or -1 when absent. */
    public int windowScale = -1;
    /** SACK-permitted option (RFC 2018). */
    public boolean sackPermitted;
    /** Timestamps option (RFC 7323 §3): present, TSval, TSecr. */
    public boolean hasTimestamps;
    public int tsVal;
    public int tsEcr;
    /** SACK blocks (RFC 2018 §3): left edges and right edges, {@link #sackBlockCount} of them. */
    public int sackBlockCount;
    public final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    public final int[] sackRight = new int[MAX_SACK_BLOCKS];

    /** Borrowed data (see the class comment); null when {@link #dataLength} is 0. */
    public ByteBuf data;
    public int dataIndex;
    public int dataLength;

    /**
     * Output only: when the data is longer than this (non-zero) size, the segment is a super-segment
     * for TCP segmentation offload, to go on the wire as pieces of at most this many octets (the
     * effective send MSS); see {@link SegmentationOffload}. 0: an ordinary segment.
     */
    public int segmentSize;

    /** Resets every field to "absent". */
    public Segment clear() {
        sourceAddress = 0;
        destinationAddress = 0;
        sourcePort = 0;
        destinationPort = 0;
        seq = 0;
        ack = 0;
        flags = 0;
        window = 0;
        urgentPointer = 0;
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackBlockCount = 0;
        data = null;
        dataIndex = 0;
        dataLength = 0;
        segmentSize = 0;
        return this;
    }

    /** True when every bit of {@code flag} is set. */
    public boolean has(int flag) {
        return (flags & flag) == flag;
    }

    /**
     * SEG.LEN (RFC 9293 §3.3.1): the octets of data plus one for SYN and one for FIN, since each of
     * them occupies a sequence number.
     */
    public int segLen() {
        return dataLength + (flags & SYN) / SYN + (flags & FIN);
    }

    /** The sequence number just after this segment: SEG.SEQ + SEG.LEN. */
    public int seqEnd() {
        return seq + segLen();
    }

    /** Copies every field of {@code other}, including the borrowed data reference. */
    public Segment copyFrom(Segment other) {
        sourceAddress = other.sourceAddress;
        destinationAddress = other.destinationAddress;
        sourcePort = other.sourcePort;
        destinationPort = other.destinationPort;
        seq = other.seq;
        ack = other.ack;
        flags = other.flags;
        window = other.window;
        urgentPointer = other.urgentPointer;
        mss = other.mss;
        windowScale = other.windowScale;
        sackPermitted = other.sackPermitted;
        hasTimestamps = other.hasTimestamps;
        tsVal = other.tsVal;
        tsEcr = other.tsEcr;
        sackBlockCount = other.sackBlockCount;
        System.arraycopy(other.sackLeft, 0, sackLeft, 0, MAX_SACK_BLOCKS);
        System.arraycopy(other.sackRight, 0, sackRight, 0, MAX_SACK_BLOCKS);
        data = other.data;
        dataIndex = other.dataIndex;
        dataLength = other.dataLength;
        segmentSize = other.segmentSize;
        return this;
    }

    /** Flags in tcpdump's notation: {@code [S.]}, {@code [F.]}, {@code [R]}, {@code [P.]}. */
    public static String flagsToString(int flags) {
        StringBuilder sb = new StringBuilder(8).append('[');
        if ((flags & SYN) != 0) {
            sb.append('S');
        }
        if ((flags & FIN) != 0) {
            sb.append('F');
        }
        if ((flags & RST) != 0) {
            sb.append('R');
        }
        if ((flags & PSH) != 0) {
            sb.append('P');
        }
        if ((flags & URG) != 0) {
            sb.append('U');
        }
        if ((flags & ECE) != 0) {
            sb.append('E');
        }
        if ((flags & CWR) != 0) {
            sb.append('W');
        }
        if ((flags & ACK) != 0) {
            sb.append('.');
        }
        return sb.append(']').toString();
    }

    /** A tcpdump-like one-liner with absolute numbers, for diagnostics (allocates). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96);
        sb.append(sourcePort).append(" > ").append(destinationPort).append(' ')
                .append(flagsToString(flags)).append(" seq ").append(SeqNum.toString(seq));
        if (dataLength > 0) {
            sb.append(':').append(SeqNum.toString(seq + dataLength)).append('(').append(dataLength).append(')');
        }
        if ((flags & ACK) != 0) {
            sb.append(" ack ").append(SeqNum.toString(ack));
        }
        sb.append(" win ").append(window);
        if ((flags & URG) != 0) {
            sb.append(" urg ").append(urgentPointer);
        }
        String options = optionsToString();
        if (!options.isEmpty()) {
            sb.append(" <").append(options).append('>');
        }
        return sb.toString();
    }

    /** The options in tcpdump's notation without the angle brackets, empty when none (allocates). */
    public String optionsToString() {
        StringBuilder sb = new StringBuilder();
        if (mss >= 0) {
            sb.append("mss ").append(mss);
        }
        if (sackPermitted) {
            sb.append(sb.length() > 0 ? "," : "").append("sackOK");
        }
        if (hasTimestamps) {
            sb.append(sb.length() > 0 ? "," : "").append("TS val ").append(Integer.toUnsignedString(tsVal))
                    .append(" ecr ").append(Integer.toUnsignedString(tsEcr));
        }
        if (windowScale >= 0) {
            sb.append(sb.length() > 0 ? "," : "").append("wscale ").append(windowScale);
        }
        if (sackBlockCount > 0) {
            sb.append(sb.length() > 0 ? "," : "").append("sack ").append(sackBlockCount);
            for (int i = 0; i < sackBlockCount; i++) {
                sb.append(" {").append(SeqNum.toString(sackLeft[i])).append(':')
                        .append(SeqNum.toString(sackRight[i])).append('}');
            }
        }
        return sb.toString();
    }
}
