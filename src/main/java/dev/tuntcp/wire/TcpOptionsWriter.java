package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * Writes a {@link TcpOptions} holder in the layout Linux uses, every option aligned with NOPs so the
 * list always ends on a 4-byte boundary (RFC 9293 §3.1: the header is a multiple of 32 bits):
 *
 * <pre>
 * MSS                      kind 2 len 4                   4 bytes
 * SACK-permitted + TS      4,2 then 8,10                  12 bytes
 *   or TS alone            NOP NOP 8,10                   12 bytes
 *   or SACK-permitted      NOP NOP 4,2                    4 bytes
 * window scale             NOP 3,3                        4 bytes
 * SACK blocks              NOP NOP 5,2+8n                 4 + 8n bytes
 * </pre>
 *
 * SACK blocks are cut to what fits in the 40 option bytes after the other options (RFC 2018 §3:
 * three blocks beside timestamps). Allocation free.
 */
public final class TcpOptionsWriter {
    private TcpOptionsWriter() {
    }

    /** Bytes {@link #write} will produce (a multiple of 4, at most 40). */
    public static int length(TcpOptions o) {
        int fixed = fixedLength(o);
        return fixed + sackLength(sackBlocksThatFit(o, fixed));
    }

    /** Writes the options at absolute index {@code offset} (writer index untouched); returns the length. */
    public static int write(TcpOptions o, ByteBuf buf, int offset) {
        int i = offset;
        if (o.hasMss()) {
            buf.setByte(i, TcpOptions.KIND_MSS);
            buf.setByte(i + 1, TcpOptions.LENGTH_MSS);
            buf.setShort(i + 2, o.mss());
            i += 4;
        }
        if (o.hasTimestamps()) {
            if (o.sackPermitted()) {
                buf.setByte(i, TcpOptions.KIND_SACK_PERMITTED);
                buf.setByte(i + 1, TcpOptions.LENGTH_SACK_PERMITTED);
            } else {
                buf.setByte(i, TcpOptions.KIND_NOP);
                buf.setByte(i + 1, TcpOptions.KIND_NOP);
            }
            buf.setByte(i + 2, TcpOptions.KIND_TIMESTAMPS);
            buf.setByte(i + 3, TcpOptions.LENGTH_TIMESTAMPS);
            buf.setInt(i + 4, o.tsVal());
            buf.setInt(i + 8, o.tsEcr());
            i += 12;
        } else if (o.sackPermitted()) {
            buf.setByte(i, TcpOptions.KIND_NOP);
            buf.setByte(i + 1, TcpOptions.KIND_NOP);
            buf.setByte(i + 2, TcpOptions.KIND_SACK_PERMITTED);
            buf.setByte(i + 3, TcpOptions.LENGTH_SACK_PERMITTED);
            i += 4;
        }
        if (o.hasWindowScale()) {
            buf.setByte(i, TcpOptions.KIND_NOP);
            buf.setByte(i + 1, TcpOptions.KIND_WINDOW_SCALE);
            buf.setByte(i + 2, TcpOptions.LENGTH_WINDOW_SCALE);
            buf.setByte(i + 3, o.rawWindowScale());
            i += 4;
        }
        int blocks = sackBlocksThatFit(o, i - offset);
        if (blocks > 0) {
            buf.setByte(i, TcpOptions.KIND_NOP);
            buf.setByte(i + 1, TcpOptions.KIND_NOP);
            buf.setByte(i + 2, TcpOptions.KIND_SACK);
            buf.setByte(i + 3, 2 + blocks * TcpOptions.SACK_BLOCK_LENGTH);
            i += 4;
            for (int b = 0; b < blocks; b++) {
                buf.setInt(i, o.sackLeft(b));
                buf.setInt(i + 4, o.sackRight(b));
                i += TcpOptions.SACK_BLOCK_LENGTH;
            }
        }
        return i - offset;
    }

    private static int fixedLength(TcpOptions o) {
        int n = 0;
        if (o.hasMss()) {
            n += 4;
        }
        if (o.hasTimestamps()) {
            n += 12;
        } else if (o.sackPermitted()) {
            n += 4;
        }
        if (o.hasWindowScale()) {
            n += 4;
        }
        return n;
    }

    private static int sackBlocksThatFit(TcpOptions o, int used) {
        int room = (TcpOptions.MAX_LENGTH - used - 4) / TcpOptions.SACK_BLOCK_LENGTH;
        return Math.max(0, Math.min(o.sackBlockCount(), room));
    }

    private static int sackLength(int blocks) {
        return blocks == 0 ? 0 : 4 + blocks * TcpOptions.SACK_BLOCK_LENGTH;
    }
}
