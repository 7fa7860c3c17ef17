package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SipHashTest {
    private static final long K0 = 0x0706050403020100L; // key bytes 00..0f, little-endian halves
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    @Test
    void referenceVectorOfTheEmptyMessage() {
        // SipHash-2-4 paper, Appendix A: key 00..0f, empty message → 31 0e 0e dd 47 db 6f 72.
        assertEquals(0x726fdb47dd0e0e31L, SipHash.hash(K0, K1, new byte[0]));
    }

    @Test
    void referenceVectorOfFifteenBytes() {
        // Appendix A worked example: message 00..0e → the 64-bit value a129ca6149be45e5.
        byte[] m = new byte[15];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) i;
        }
        assertEquals(0xa129ca6149be45e5L, SipHash.hash(K0, K1, m));
    }

    @Property
    void twelveByteFormEqualsTheGeneralForm(@ForAll long k0, @ForAll long k1, @ForAll long first8, @ForAll int last4) {
        byte[] m = new byte[12];
        for (int i = 0; i < 8; i++) {
            m[i] = (byte) (first8 >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            m[8 + i] = (byte) (last4 >>> (8 * i));
        }
        assertEquals(SipHash.hash(k0, k1, m), SipHash.hash12(k0, k1, first8, last4));
    }
}
