package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flyweights read by address (direct), through the backing array (heap), through a VarHandle
 * view of the internal NIO buffer (buffers with neither, e.g. direct ones when Netty has no Unsafe)
 * or through the ByteBuf API (composite); every kind, at any offset, must read the same fields.
 */
class BufferKindsTest {
    static List<LinuxFixture> fixtures() {
        return LinuxFixture.all();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyBufferKindReadsTheSameFields(LinuxFixture f) {
        byte[] bytes = f.bytes();
        ByteBuf heap = Unpooled.wrappedBuffer(bytes);
        ByteBuf direct = Unpooled.directBuffer(bytes.length + 7).writeZero(7).writeBytes(bytes);
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer().writeZero(3).writeBytes(bytes);
        ByteBuf pooledHeap = PooledByteBufAllocator.DEFAULT.heapBuffer().writeZero(5).writeBytes(bytes);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, 0, 13));
        composite.addComponent(true, Unpooled.directBuffer().writeBytes(bytes, 13, bytes.length - 13));
        // Neither an address nor an accessible array: the NIO path, as direct buffers without Unsafe.
        ByteBuf nioOnly = Unpooled.wrappedBuffer(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
        try {
            String expected = describe(heap, 0, bytes.length);
            assertEquals(expected, describe(direct, 7, bytes.length));
            assertEquals(expected, describe(pooled, 3, bytes.length));
            assertEquals(expected, describe(pooledHeap, 5, bytes.length));
            assertEquals(expected, describe(composite, 0, bytes.length));
            assertEquals(expected, describe(nioOnly, 0, bytes.length));
            ByteBuf slice = direct.slice(7, bytes.length);
            assertEquals(expected, describe(slice, 0, bytes.length));
        } finally {
            heap.release();
            direct.release();
            pooled.release();
            pooledHeap.release();
            composite.release();
            nioOnly.release();
        }
    }

    /**
     * Netty shares one internal NIO buffer per ByteBuf among all callers; another caller shrinking
     * its limit between wrap and a later read (here to one byte) must not make the read fail.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void theNioPathSurvivesAnotherUserOfTheSharedNioBuffer(LinuxFixture f) {
        byte[] bytes = f.bytes();
        ByteBuf heap = Unpooled.wrappedBuffer(bytes);
        ByteBuf nioOnly = Unpooled.wrappedBuffer(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
        try {
            TcpOptions expected = new TcpOptions();
            assertEquals(ParseError.NONE, ip.wrap(heap, 0, bytes.length));
            assertEquals(ParseError.NONE, tcp.wrap(ip));
            assertEquals(ParseError.NONE, tcp.readOptions(expected));
            assertEquals(ParseError.NONE, ip.wrap(nioOnly, 0, bytes.length));
            assertEquals(ParseError.NONE, tcp.wrap(ip));
            nioOnly.internalNioBuffer(0, 1);
            assertEquals(ParseError.NONE, tcp.readOptions(options));
            assertEquals(expected.toString(), options.toString());
        } finally {
            heap.release();
            nioOnly.release();
        }
    }

    /** Every field through the flyweights, one view reused across buffers of different kinds. */
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final TcpOptions options = new TcpOptions();

    private String describe(ByteBuf buf, int offset, int length) {
        assertEquals(ParseError.NONE, ip.wrap(buf, offset, length));
        assertEquals(ParseError.NONE, tcp.wrap(ip));
        assertEquals(ParseError.NONE, tcp.verifyChecksum(ip.sourceAddress(), ip.destinationAddress()));
        assertEquals(ParseError.NONE, tcp.readOptions(options));
        return Ipv4Repr.parse(ip) + " | " + ip.headerChecksum() + " " + ip.tos() + " | "
                + TcpFormat.format(ip, tcp) + " | " + tcp.checksum() + " " + tcp.urgentPointer() + " "
                + tcp.payloadLength() + " | " + options;
    }
}
