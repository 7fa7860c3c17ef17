package dev.tuntcp.wire;

import static dev.tuntcp.wire.TcpOptions.KIND_EOL;
import static dev.tuntcp.wire.TcpOptions.KIND_MSS;
import static dev.tuntcp.wire.TcpOptions.KIND_NOP;
import static dev.tuntcp.wire.TcpOptions.KIND_SACK;
import static dev.tuntcp.wire.TcpOptions.KIND_SACK_PERMITTED;
import static dev.tuntcp.wire.TcpOptions.KIND_TIMESTAMPS;
import static dev.tuntcp.wire.TcpOptions.KIND_WINDOW_SCALE;
import static dev.tuntcp.wire.TcpOptions.LENGTH_MSS;
import static dev.tuntcp.wire.TcpOptions.LENGTH_SACK_PERMITTED;
import static dev.tuntcp.wire.TcpOptions.LENGTH_TIMESTAMPS;
import static dev.tuntcp.wire.TcpOptions.LENGTH_WINDOW_SCALE;
import static dev.tuntcp.wire.TcpOptions.MAX_SACK_BLOCKS;
import static dev.tuntcp.wire.TcpOptions.SACK_BLOCK_LENGTH;

/**
 * The allocation-free option reader behind {@link TcpOptions#read}: the validation rules of
 * RFC 9293 §3.2 (length byte, overrun), RFC 7323 and RFC 2018 (length per kind), one MSS only.
 */
final class TcpOptionsReader {
    /** NOP, NOP, kind 8 length 10: the timestamps option as Linux aligns it on every segment. */
    private static final int NOP_NOP_TIMESTAMPS = 0x0101080a;
    private static final int LINUX_DATA_LENGTH = 12;
    /** SACK-permitted then the timestamps kind and length, the second word of a Linux SYN. */
    private static final int SACK_PERMITTED_TIMESTAMPS = 0x0402080a;
    private static final int LINUX_SYN_LENGTH = 20;

    private TcpOptionsReader() {
    }

    /**
     * Reads into {@code o}, replacing everything it held. Linux's two layouts are recognised first,
     * whole words at a time (as tcp_parse_aligned_timestamp in Linux's tcp_input.c predicts the
     * aligned timestamp option), and write every field of {@code o} once; anything else clears
     * {@code o} and is walked.
     */
    static ParseError read(TcpOptions o, ByteView v, int offset, int length) {
        if (length == LINUX_DATA_LENGTH && v.i32(offset) == NOP_NOP_TIMESTAMPS) {
            o.receivedTimestampsOnly(v.i32(offset + 4), v.i32(offset + 8));
            return ParseError.NONE;
        }
        if (length == LINUX_SYN_LENGTH && readLinuxSyn(o, v, offset)) {
            return ParseError.NONE;
        }
        o.clear();
        return walk(o, v, offset, length);
    }

    /** mss, sackOK, TS, nop, wscale in 20 bytes: the options of a Linux SYN or SYN/ACK. */
    private static boolean readLinuxSyn(TcpOptions o, ByteView v, int offset) {
        // Three loads: [mss kind, len, value, sackOK kind, len, TS kind, len] [TSval, TSecr] [nop, wscale]
        long head = v.i64(offset);
        long stamps = v.i64(offset + 8);
        int last = v.i32(offset + 16);
        if ((int) (head >>> 48) != (KIND_MSS << 8 | LENGTH_MSS) || (int) head != SACK_PERMITTED_TIMESTAMPS
                || last >>> 8 != (KIND_NOP << 16 | KIND_WINDOW_SCALE << 8 | LENGTH_WINDOW_SCALE)) {
            return false;
        }
        o.receivedLinuxSyn((int) (head >>> 32) & 0xffff, (int) (stamps >>> 32), (int) stamps, last & 0xff);
        return true;
    }

    /** The general walk over any option list (RFC 9293 §3.2), into a cleared {@code o}. */
    static ParseError walk(TcpOptions o, ByteView v, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int kind = v.u8(i);
            if (kind == KIND_EOL) {
                return ParseError.NONE;
            }
            if (kind == KIND_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return ParseError.TCP_OPTION_OVERRUNS_HEADER;
            }
            int len = v.u8(i + 1);
            if (len < 2) {
                return ParseError.TCP_OPTION_LENGTH_TOO_SMALL;
            }
            if (len > end - i) {
                return ParseError.TCP_OPTION_OVERRUNS_HEADER;
            }
            ParseError error;
            switch (kind) {
                case KIND_MSS:
                    error = readMss(o, v, i, len);
                    break;
                case KIND_WINDOW_SCALE:
                    error = readWindowScale(o, v, i, len);
                    break;
                case KIND_SACK_PERMITTED:
                    error = readSackPermitted(o, len);
                    break;
                case KIND_SACK:
                    error = readSack(o, v, i, len);
                    break;
                case KIND_TIMESTAMPS:
                    error = readTimestamps(o, v, i, len);
                    break;
                default:
                    o.receivedUnknown(); // skipped by its length (RFC 9293 §3.2)
                    error = ParseError.NONE;
                    break;
            }
            if (error != ParseError.NONE) {
                return error;
            }
            i += len;
        }
        return ParseError.NONE;
    }

    private static ParseError readMss(TcpOptions o, ByteView v, int i, int len) {
        if (len != LENGTH_MSS) {
            return ParseError.TCP_OPTION_BAD_LENGTH;
        }
        if (o.hasMss()) {
            return ParseError.TCP_OPTION_DUPLICATE_MSS;
        }
        o.receivedMss(v.u16(i + 2));
        return ParseError.NONE;
    }

    private static ParseError readWindowScale(TcpOptions o, ByteView v, int i, int len) {
        if (len != LENGTH_WINDOW_SCALE) {
            return ParseError.TCP_OPTION_BAD_LENGTH;
        }
        o.receivedWindowScale(v.u8(i + 2));
        return ParseError.NONE;
    }

    private static ParseError readSackPermitted(TcpOptions o, int len) {
        if (len != LENGTH_SACK_PERMITTED) {
            return ParseError.TCP_OPTION_BAD_LENGTH;
        }
        o.receivedSackPermitted();
        return ParseError.NONE;
    }

    private static ParseError readSack(TcpOptions o, ByteView v, int i, int len) {
        int blocks = (len - 2) / SACK_BLOCK_LENGTH;
        if ((len - 2) % SACK_BLOCK_LENGTH != 0 || blocks < 1 || blocks > MAX_SACK_BLOCKS) {
            return ParseError.TCP_OPTION_BAD_LENGTH;
        }
        for (int b = 0; b < blocks; b++) {
            o.receivedSackBlock(b, v.i32(i + 2 + b * SACK_BLOCK_LENGTH), v.i32(i + 6 + b * SACK_BLOCK_LENGTH));
        }
        return ParseError.NONE;
    }

    private static ParseError readTimestamps(TcpOptions o, ByteView v, int i, int len) {
        if (len != LENGTH_TIMESTAMPS) {
            return ParseError.TCP_OPTION_BAD_LENGTH;
        }
        o.receivedTimestamps(v.i32(i + 2), v.i32(i + 6));
        return ParseError.NONE;
    }
}
