package dev.tuntcp.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012), the keyed pseudo-random function used for initial
 * sequence numbers (RFC 6528 §3 asks for a keyed hash such as this), for hash-table seeding and for
 * steering flows to event loops ({@code stack.FlowSteering}). The 12-byte form hashes a TCP
 * 4-tuple without allocating.
 */
public final class SipHash {
    private SipHash() {
    }

    /** SipHash-2-4 of an arbitrary message; keys are the two little-endian halves of the 128-bit key. */
    static long hash(long k0, long k1, byte[] message) {
        long[] v = init(k0, k1);
        int len = message.length;
        int full = len & ~7;
        for (int i = 0; i < full; i += 8) {
            compress(v, littleEndian(message, i, 8));
        }
        long last = ((long) len) << 56 | littleEndian(message, full, len - full);
        compress(v, last);
        return finish(v);
    }

    /**
     * SipHash-2-4 of the 12-byte message whose little-endian words are {@code first8} and the four
     * bytes of {@code last4}; equal to {@link #hash(long, long, byte[])} of those bytes.
     */
    public static long hash12(long k0, long k1, long first8, int last4) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        long m = first8;
        for (int word = 0; word < 2; word++) {
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
            m = (12L << 56) | Integer.toUnsignedLong(last4);
        }
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static long[] init(long k0, long k1) {
        return new long[] {
            k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL,
            k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L
        };
    }

    private static void compress(long[] v, long m) {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    }

    private static long finish(long[] v) {
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) {
            round(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void round(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }

    static long littleEndian(byte[] b, int offset, int count) {
        long x = 0;
        for (int i = count - 1; i >= 0; i--) {
            x = (x << 8) | (b[offset + i] & 0xff);
        }
        return x;
    }
}
