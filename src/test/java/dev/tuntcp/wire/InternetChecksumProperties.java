package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link InternetChecksum} against the byte-pair reference ({@link InternetChecksumReference}) for
 * any content, offset, length 0..65535 and kind of buffer (each kind takes a different code path),
 * and the RFC 1624 incremental update against recomputation.
 */
class InternetChecksumProperties {

    /** How the bytes are filled: random, or the patterns that carry the most. */
    enum Fill {
        RANDOM, ALL_ONES, ALL_ZERO, HIGH_BYTES, SPARSE;

        byte[] make(int length, long seed) {
            byte[] bytes = new byte[length];
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < length; i++) {
                bytes[i] = switch (this) {
                    case RANDOM -> (byte) random.nextInt(256);
                    case ALL_ONES -> (byte) 0xff;
                    case ALL_ZERO -> 0;
                    case HIGH_BYTES -> (byte) (0xf0 | random.nextInt(16));
                    case SPARSE -> random.nextInt(64) == 0 ? (byte) random.nextInt(256) : 0;
                };
            }
            return bytes;
        }
    }

    @Provide
    Arbitrary<byte[]> contents() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(100);
        Arbitrary<byte[]> large = Combinators.combine(
                        Arbitraries.integers().between(0, 65_535),
                        Arbitraries.longs(),
                        Arbitraries.of(Fill.class))
                .as((length, seed, fill) -> fill.make(length, seed));
        return Arbitraries.oneOf(small, large);
    }

    @Property
    void sumEqualsBytePairReference(@ForAll("contents") byte[] content,
                                    @ForAll @IntRange(min = 0, max = 15) int offset,
                                    @ForAll BufferKind kind) {
        ByteBuf buf = kind.holding(content, offset);
        try {
            int readerIndex = buf.readerIndex();
            int writerIndex = buf.writerIndex();
            int expected = InternetChecksumReference.sum(content, 0, content.length);
            assertEquals(expected, InternetChecksum.sum(buf, offset, content.length), kind.name());
            assertEquals(~expected & 0xffff, InternetChecksum.checksum(buf, offset, content.length));
            assertEquals(readerIndex, buf.readerIndex());
            assertEquals(writerIndex, buf.writerIndex());
        } finally {
            buf.release();
        }
    }

    @Property
    void sumIsTheSameOnEveryPath(@ForAll("contents") byte[] content, @ForAll @IntRange(min = 0, max = 15) int offset) {
        int expected = -1;
        for (BufferKind kind : BufferKind.values()) {
            ByteBuf buf = kind.holding(content, offset);
            try {
                int sum = InternetChecksum.sum(buf, offset, content.length);
                if (expected >= 0) {
                    assertEquals(expected, sum, kind.name());
                }
                expected = sum;
            } finally {
                buf.release();
            }
        }
    }

    @Property
    void foldKeepsTheValueModulo0xffffAndZeroOnlyForZero(@ForAll long acc) {
        int folded = InternetChecksum.fold(acc);
        assertTrue(folded >= 0 && folded <= 0xffff);
        assertEquals(Long.remainderUnsigned(acc, 0xffff), folded % 0xffff);
        assertEquals(acc == 0, folded == 0);
    }

    @Property
    void addIsOnesComplementAddition(@ForAll @IntRange(max = 0xffff) int a, @ForAll @IntRange(max = 0xffff) int b) {
        assertEquals(InternetChecksumReference.sumOfWords(a, b), InternetChecksum.add(a, b));
    }

    @Property
    void pseudoHeaderSumEqualsTheSumOfItsBytes(@ForAll int source, @ForAll int destination,
                                              @ForAll @IntRange(max = 255) int protocol,
                                              @ForAll @IntRange(max = 0xffff) int length) {
        // RFC 9293 §3.1: source (4), destination (4), zero (1), protocol (1), TCP length (2).
        int expected = InternetChecksumReference.sumOfWords(source >>> 16, source & 0xffff,
                destination >>> 16, destination & 0xffff, protocol, length);
        assertEquals(expected, InternetChecksum.pseudoHeaderSum(source, destination, protocol, length));
    }

    @Property(tries = 300)
    void transportChecksumCoversPseudoHeaderAndSegment(@ForAll("contents") byte[] segment,
                                                      @ForAll int source, @ForAll int destination) {
        Assume.that(segment.length <= 0xffff - 12);
        byte[] whole = new byte[12 + segment.length];
        java.nio.ByteBuffer.wrap(whole).putInt(source).putInt(destination).put((byte) 0).put((byte) 6)
                .putShort((short) segment.length).put(segment);
        int expected = ~InternetChecksumReference.sum(whole, 0, whole.length) & 0xffff;
        ByteBuf seg = BufferKind.DIRECT_POOLED.holding(segment, 3);
        try {
            assertEquals(expected, InternetChecksum.transportChecksum(source, destination, 6, seg, 3, segment.length));
        } finally {
            seg.release();
        }
    }

    @Property
    void update16EqualsRecomputation(@ForAll("contents") byte[] content, @ForAll int wordIndex,
                                     @ForAll @IntRange(max = 0xffff) int newWord) {
        Assume.that(content.length >= 2);
        int at = Math.floorMod(wordIndex, content.length / 2) * 2;
        ByteBuf buf = BufferKind.HEAP.holding(content, 0);
        try {
            int before = InternetChecksum.checksum(buf, 0, content.length);
            int oldWord = buf.getUnsignedShort(at);
            buf.setShort(at, newWord);
            Assume.that(!allZero(buf, content.length)); // RFC 1624 §3: the ±0 ambiguity, see update()
            int after = InternetChecksum.checksum(buf, 0, content.length);
            assertEquals(after, InternetChecksum.update(before, oldWord, newWord));
        } finally {
            buf.release();
        }
    }

    @Property
    void update32EqualsRecomputation(@ForAll("contents") byte[] content, @ForAll int fieldIndex, @ForAll int newValue) {
        Assume.that(content.length >= 4);
        int at = Math.floorMod(fieldIndex, content.length / 4) * 4;
        ByteBuf buf = BufferKind.DIRECT_POOLED.holding(content, 0);
        try {
            int before = InternetChecksum.checksum(buf, 0, content.length);
            int oldValue = buf.getInt(at);
            buf.setInt(at, newValue);
            Assume.that(!allZero(buf, content.length));
            int after = InternetChecksum.checksum(buf, 0, content.length);
            assertEquals(after, InternetChecksum.update32(before, oldValue, newValue));
        } finally {
            buf.release();
        }
    }

    @Property
    void updatedChecksumStillVerifies(@ForAll("contents") byte[] content, @ForAll int newValue) {
        // The use in the stack: a header with its checksum field at 0..1 and a 32-bit field at 4..7
        // that is rewritten; after the update the whole range must sum to 0xffff (RFC 1071 §1).
        Assume.that(content.length >= 8);
        ByteBuf buf = BufferKind.DIRECT_POOLED.holding(content, 0);
        try {
            buf.setShort(0, 0);
            buf.setShort(0, InternetChecksum.checksum(buf, 0, content.length));
            int oldValue = buf.getInt(4);
            buf.setInt(4, newValue);
            Assume.that(!allZero(buf.slice(2, content.length - 2), content.length - 2)); // RFC 1624 §3 ±0
            buf.setShort(0, InternetChecksum.update32(buf.getUnsignedShort(0), oldValue, newValue));
            assertEquals(0, InternetChecksum.checksum(buf, 0, content.length));
        } finally {
            buf.release();
        }
    }

    /** The kinds of buffer the checksum must handle; each takes a different path in InternetChecksum. */
    enum BufferKind {
        HEAP, HEAP_POOLED, DIRECT_POOLED, DIRECT_UNPOOLED, DIRECT_SLICE_AT_ODD_ADDRESS,
        /** A direct buffer without a memory address: what Netty gives when it runs without Unsafe. */
        DIRECT_WITHOUT_ADDRESS,
        /** Neither address nor array, one NIO buffer. */
        READ_ONLY_HEAP_NIO,
        COMPOSITE;

        private static final int TRAILER = 9;

        /**
         * A buffer holding {@code content} at absolute index {@code offset}, surrounded by non-zero
         * filler so that reading outside the range changes the sum. The caller releases it.
         */
        ByteBuf holding(byte[] content, int offset) {
            int capacity = offset + content.length + TRAILER;
            byte[] image = new byte[capacity];
            java.util.Arrays.fill(image, (byte) 0xa5);
            System.arraycopy(content, 0, image, offset, content.length);
            io.netty.buffer.PooledByteBufAllocator pool = io.netty.buffer.PooledByteBufAllocator.DEFAULT;
            ByteBuf buf = switch (this) {
                case HEAP -> io.netty.buffer.Unpooled.buffer(capacity, capacity);
                case HEAP_POOLED -> pool.heapBuffer(capacity, capacity);
                case DIRECT_POOLED -> pool.directBuffer(capacity, capacity);
                case DIRECT_UNPOOLED -> io.netty.buffer.Unpooled.directBuffer(capacity, capacity);
                case DIRECT_SLICE_AT_ODD_ADDRESS -> {
                    ByteBuf parent = pool.directBuffer(capacity + 3, capacity + 3);
                    parent.writerIndex(capacity + 3);
                    yield parent.slice(3, capacity).writerIndex(0); // releasing the slice releases the parent
                }
                case DIRECT_WITHOUT_ADDRESS ->
                        new io.netty.buffer.UnpooledDirectByteBuf(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, capacity, capacity);
                case READ_ONLY_HEAP_NIO -> io.netty.buffer.Unpooled.wrappedBuffer(java.nio.ByteBuffer.wrap(image).asReadOnlyBuffer());
                case COMPOSITE -> {
                    // Not leak-tracked itself (its components are): at PARANOID every tracked read
                    // records a stack trace, and this path reads through getIntLE.
                    io.netty.buffer.CompositeByteBuf composite =
                            new io.netty.buffer.CompositeByteBuf(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, true, 3);
                    int first = capacity / 3 | 1;
                    int second = Math.max(first, 2 * capacity / 3);
                    composite.addComponents(true,
                            io.netty.buffer.Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(image, 0, first)),
                            io.netty.buffer.Unpooled.directBuffer(second - first).writeBytes(image, first, second - first),
                            io.netty.buffer.Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(image, second, capacity)));
                    yield composite;
                }
            };
            if (this != COMPOSITE && this != READ_ONLY_HEAP_NIO) {
                buf.writeBytes(image);
            }
            if (this == DIRECT_WITHOUT_ADDRESS && buf.hasMemoryAddress() || this == READ_ONLY_HEAP_NIO && buf.hasArray()) {
                throw new IllegalStateException(this + " must take the NIO path: " + buf.getClass());
            }
            return buf;
        }
    }

    private static boolean allZero(ByteBuf buf, int length) {
        for (byte b : io.netty.buffer.ByteBufUtil.getBytes(buf, 0, length)) { // one read: PARANOID records each
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
