package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The virtio_net_hdr codec: byte layout (little-endian u16s after two u8s) and round trips. */
class VnetHeaderTest {

    @Test
    void tsoHeaderHasTheKernelsLayout() {
        ByteBuf buf = Unpooled.buffer(VnetHeader.LENGTH, VnetHeader.LENGTH);
        try {
            new VnetHeader().tcpv4(20, 32, 1448).write(buf, 0);
            byte[] bytes = new byte[VnetHeader.LENGTH];
            buf.getBytes(0, bytes);
            // flags NEEDS_CSUM, gso_type TCPV4, hdr_len 52, gso_size 1448 (0x05a8), csum_start 20, csum_offset 16
            assertArrayEquals(new byte[] {1, 1, 52, 0, (byte) 0xa8, 0x05, 20, 0, 16, 0}, bytes);
        } finally {
            buf.release();
        }
    }

    @Test
    void checksumOnlyHeaderHasNoSegmentation() {
        VnetHeader h = new VnetHeader().tcpv4(20, 20, 0);
        assertTrue(h.needsChecksum());
        assertEquals(VnetHeader.GSO_NONE, h.gsoType());
        assertEquals(0, h.gsoSize());
        assertEquals(0, h.headerLength());
    }

    @Test
    void readsWhatTheKernelWrites() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {3, (byte) 0x81, 40, 0, (byte) 0xb4, 0x05, 20, 0, 16, 0});
        VnetHeader h = new VnetHeader().read(buf, 0);
        assertTrue(h.needsChecksum());
        assertTrue(h.dataValid());
        assertEquals(VnetHeader.GSO_TCPV4, h.gsoType());
        assertTrue(h.gsoEcn());
        assertEquals(40, h.headerLength());
        assertEquals(1460, h.gsoSize());
        assertEquals(20, h.checksumStart());
        assertEquals(16, h.checksumOffset());
        assertFalse(new VnetHeader().read(Unpooled.wrappedBuffer(new byte[10]), 0).needsChecksum());
    }

    @Property(tries = 200)
    void roundTrips(@ForAll @IntRange(min = 0, max = 255) int flags, @ForAll @IntRange(min = 0, max = 255) int gsoType,
                    @ForAll @IntRange(min = 0, max = 65535) int hdrLen, @ForAll @IntRange(min = 0, max = 65535) int gsoSize,
                    @ForAll @IntRange(min = 0, max = 65535) int start, @ForAll @IntRange(min = 0, max = 65535) int offset,
                    @ForAll @IntRange(min = 0, max = 6) int at) {
        ByteBuf buf = Unpooled.buffer(16, 16);
        try {
            new VnetHeader().flags(flags).gsoType(gsoType).headerLength(hdrLen).gsoSize(gsoSize)
                    .checksumStart(start).checksumOffset(offset).write(buf, at);
            VnetHeader back = new VnetHeader().read(buf, at);
            assertEquals(flags, back.flags());
            assertEquals(gsoType & ~VnetHeader.GSO_ECN, back.gsoType());
            assertEquals((gsoType & VnetHeader.GSO_ECN) != 0, back.gsoEcn());
            assertEquals(hdrLen, back.headerLength());
            assertEquals(gsoSize, back.gsoSize());
            assertEquals(start, back.checksumStart());
            assertEquals(offset, back.checksumOffset());
            assertEquals(gsoSize & 0xff, buf.getUnsignedByte(at + 4), "little-endian");
        } finally {
            buf.release();
        }
    }
}
