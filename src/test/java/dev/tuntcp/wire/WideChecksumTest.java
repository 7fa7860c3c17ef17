package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK 25 Vector API kernel of the multi-release jar ({@link WideChecksum}). Runs where the
 * kernel is loaded: the build's second surefire run on JDK 25 (pom profile jdk25-vector-checksum,
 * which sets {@code tuntcp.checksum.requireVector} so that a missing kernel fails instead of
 * skipping). On a JDK without the kernel the same checks prove the fallback: the sums still match
 * the reference, and the kernel is absent exactly where the JDK cannot offer it.
 */
class WideChecksumTest {
    /** Untracked direct buffers: at PARANOID every tracked access records a stack trace (slow). */
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);

    @BeforeEach
    void kernelPresent() {
        if (Boolean.getBoolean("tuntcp.checksum.requireVector")) {
            assertNotNull(WideChecksum.INSTANCE, "JDK 25 with jdk.incubator.vector but no Vector API kernel loaded");
        }
    }

    /** The kernel loads exactly on JDK 25+ with jdk.incubator.vector (and is not switched off). */
    @Test
    void kernelIsPresentExactlyWhereTheJdkOffersIt() {
        boolean offered = Runtime.version().feature() >= 25
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equals(System.getProperty("tuntcp.checksum.vector"));
        assertEquals(offered, WideChecksum.INSTANCE != null, "Vector API kernel loaded: " + (WideChecksum.INSTANCE != null));
    }

    /** Every length to 2 KiB, eight alignments, and the largest IPv4 range: sum equals the byte-pair reference. */
    @Test
    void sumEqualsReferenceAtEveryLengthAndAlignment() {
        byte[] bytes = new byte[65535 + 8];
        new SplittableRandom(1071).nextBytes(bytes);
        ByteBuf direct = UNTRACKED.directBuffer(bytes.length).writeBytes(bytes);
        try {
            assertTrue(direct.hasMemoryAddress());
            for (int offset = 0; offset < 8; offset++) {
                for (int length = 0; length <= 2048; length++) {
                    assertEquals(InternetChecksumReference.sum(bytes, offset, length),
                            InternetChecksum.sum(direct, offset, length), "offset " + offset + " length " + length);
                }
                assertEquals(InternetChecksumReference.sum(bytes, offset, 65535), InternetChecksum.sum(direct, offset, 65535));
            }
        } finally {
            direct.release();
        }
    }

    /** All-ones data is the worst case for carries: every 32-bit word is 2^32 − 1. */
    @Test
    void kernelKeepsEveryCarry() {
        if (WideChecksum.INSTANCE == null) {
            // Fallback path: the scalar sum must keep every carry just the same.
            ByteBuf ones = UNTRACKED.directBuffer(65536).writeBytes(filled(65536));
            try {
                assertEquals(0xffff, InternetChecksum.sum(ones, 0, 65535 - 1));
            } finally {
                ones.release();
            }
            return;
        }
        byte[] allOnes = new byte[65536];
        java.util.Arrays.fill(allOnes, (byte) 0xff);
        ByteBuf ones = UNTRACKED.directBuffer(65536).writeBytes(allOnes);
        try {
            long expected = 16384L * 0xffff_ffffL; // 64 KiB of 32-bit words, unfolded
            assertEquals(expected, WideChecksum.INSTANCE.sumBlocks(ones.memoryAddress(), 65536 / WideChecksum.BLOCK));
            assertEquals(0xffff, InternetChecksum.sum(ones, 0, 65535 - 1));
        } finally {
            ones.release();
        }
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 0xff);
        return b;
    }
}
