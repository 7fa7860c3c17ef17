package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tuntcp.wire.InternetChecksumProperties.BufferKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Known examples and every short length/offset combination, on every kind of buffer. */
class InternetChecksumTest {

    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 §3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, checksum 220d.
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0001f203f4f5f6f7"));
        assertEquals(0xddf2, InternetChecksum.sum(buf, 0, 8));
        assertEquals(0x220d, InternetChecksum.checksum(buf, 0, 8));
        // RFC 1071 §2(B): swapping the bytes of every word swaps the bytes of the sum.
        ByteBuf swapped = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0100 03f2 f5f4 f7f6".replace(" ", "")));
        assertEquals(0xf2dd, InternetChecksum.sum(swapped, 0, 8));
    }

    @Test
    void realIpv4HeaderVerifiesAndRecomputes() {
        // An IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) with its checksum b861 in bytes 10..11.
        byte[] header = ByteBufUtil.decodeHexDump("450000730000400040 11b861c0a80001c0a800c7".replace(" ", ""));
        for (BufferKind kind : BufferKind.values()) {
            ByteBuf buf = kind.holding(header, 5);
            try {
                assertEquals(0, InternetChecksum.checksum(buf, 5, 20), kind.name());
                if (buf.isReadOnly()) {
                    continue;
                }
                buf.setShort(5 + 10, 0);
                assertEquals(0xb861, InternetChecksum.checksum(buf, 5, 20), kind.name());
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void everyShortLengthAtEveryOffsetOnEveryPath() {
        SplittableRandom random = new SplittableRandom(1624);
        for (int length = 0; length <= 100; length++) {
            byte[] content = new byte[length];
            random.nextBytes(content);
            for (int offset = 0; offset < 16; offset++) {
                String where = " length " + length + " offset " + offset;
                for (BufferKind kind : BufferKind.values()) {
                    ByteBuf buf = kind.holding(content, offset);
                    try {
                        assertEquals(InternetChecksumReference.sum(content, 0, length),
                                InternetChecksum.sum(buf, offset, length),
                                () -> kind + where);
                    } finally {
                        buf.release();
                    }
                }
            }
        }
    }

    @Test
    void largestAllOnesRangeKeepsEveryCarry() {
        byte[] ones = new byte[65_535];
        java.util.Arrays.fill(ones, (byte) 0xff);
        for (BufferKind kind : BufferKind.values()) {
            ByteBuf buf = kind.holding(ones, 1);
            try {
                // 32767 words of ffff and a last ff00: one's-complement sum ff00 + (-0) = ff00.
                assertEquals(0xff00, InternetChecksum.sum(buf, 1, 65_535), kind.name());
                assertEquals(0xffff, InternetChecksum.sum(buf, 1, 65_534), kind.name());
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void allZeroSumsToZeroAndEmptyRangeToZero() {
        ByteBuf buf = Unpooled.directBuffer(64).writeZero(64);
        try {
            assertEquals(0, InternetChecksum.sum(buf, 3, 61));
            assertEquals(0, InternetChecksum.sum(buf, 64, 0));
            assertEquals(0xffff, InternetChecksum.checksum(buf, 0, 0));
        } finally {
            buf.release();
        }
    }

    @Test
    void rangeOutsideTheBufferIsACallersBug() {
        ByteBuf buf = Unpooled.directBuffer(16, 16).writeZero(16);
        try {
            assertThrows(IndexOutOfBoundsException.class, () -> InternetChecksum.sum(buf, 1, 16));
            assertThrows(IndexOutOfBoundsException.class, () -> InternetChecksum.sum(buf, -1, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> InternetChecksum.sum(buf, 0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> InternetChecksum.sum(buf, Integer.MAX_VALUE, 2));
        } finally {
            buf.release();
        }
    }

    @Test
    void incrementalUpdateOfTcpSequenceNumberMatchesRecomputation() {
        // RFC 1624 §1's use: rewrite a field and patch the checksum instead of recomputing it.
        byte[] tcp = ByteBufUtil.decodeHexDump("c0de0050000003e8000000005002faf000000000");
        ByteBuf seg = Unpooled.wrappedBuffer(tcp);
        int src = 0x0a0d0001;
        int dst = 0x0a0d0002;
        int before = InternetChecksum.transportChecksum(src, dst, 6, seg, 0, 20);
        seg.setShort(16, before);
        assertEquals(0, InternetChecksum.transportChecksum(src, dst, 6, seg, 0, 20));
        seg.setInt(4, 0xfffffff0);
        seg.setShort(16, InternetChecksum.update32(before, 0x3e8, 0xfffffff0));
        assertEquals(0, InternetChecksum.transportChecksum(src, dst, 6, seg, 0, 20));
        int patched = seg.getUnsignedShort(16);
        seg.setShort(16, 0);
        assertEquals(InternetChecksum.transportChecksum(src, dst, 6, seg, 0, 20), patched);
    }

    @Test
    void updateWhenTheNewDataIsAllZeroGivesTheOtherZero() {
        // RFC 1624 §3: eqn. 3 cannot tell +0 from -0; documented in update().
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {0, 1});
        int before = InternetChecksum.checksum(buf, 0, 2);
        assertEquals(0xfffe, before);
        assertEquals(0x0000, InternetChecksum.update(before, 1, 0));
        assertEquals(0xffff, InternetChecksum.checksum(Unpooled.wrappedBuffer(new byte[2]), 0, 2));
    }
}
