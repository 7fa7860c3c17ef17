package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * The plainest possible RFC 1071 reference, the oracle for tests and the {@code naive} baseline of
 * ChecksumBench: big-endian byte pairs, one at a time, carries folded back as they arise.
 */
public final class InternetChecksumReference {
    private InternetChecksumReference() {
    }

    /** The 16-bit one's-complement sum of {@code length} bytes at {@code offset}, by byte pairs. */
    public static int sum(ByteBuf buf, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = buf.getUnsignedByte(offset + i);
            int low = i + 1 < length ? buf.getUnsignedByte(offset + i + 1) : 0; // RFC 1071 §4.1: pad an odd byte
            sum += high << 8 | low;
            if (sum > 0xffff) {
                sum = (sum & 0xffff) + 1; // end-around carry
            }
        }
        return sum;
    }

    /** The same over an array (tests use this one: at PARANOID leak detection every ByteBuf read is recorded). */
    public static int sum(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xff;
            int low = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
            sum += high << 8 | low;
            if (sum > 0xffff) {
                sum = (sum & 0xffff) + 1;
            }
        }
        return sum;
    }

    /** The one's-complement sum of 16-bit words given as ints (each 0..0xffff). */
    public static int sumOfWords(int... words) {
        int sum = 0;
        for (int word : words) {
            sum += word;
            if (sum > 0xffff) {
                sum = (sum & 0xffff) + 1;
            }
        }
        return sum;
    }
}
