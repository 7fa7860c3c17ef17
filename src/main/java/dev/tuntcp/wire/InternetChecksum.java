package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's-complement of the one's-complement sum of the
 * data taken as big-endian 16-bit words (an odd final byte is padded with zero), plus the IPv4
 * pseudo-header used by TCP (RFC 9293 §3.1) and the incremental update of RFC 1624.
 *
 * <p>Sums ({@code sum*}) are 16-bit values before complementing; a checksum is {@code ~sum & 0xffff}.
 *
 * <p>How {@link #sum} is fast. RFC 1071 §2(A)-(C) gives the three properties used here:
 * <ul>
 *   <li>(B) byte-order independence: summing the data as little-endian words yields the
 *       byte-swapped sum, so the bytes are read in the machine's own order straight from memory and
 *       only the 16-bit result is swapped back;</li>
 *   <li>(C) parallel summation: a 32-bit word at an even position is two 16-bit words whose
 *       one's-complement sum equals the 32-bit word folded modulo 0xffff, so each step adds one
 *       unsigned 32-bit word to a 64-bit accumulator (no carry is ever lost: 2^29 words of at most
 *       2^32 fit in 63 bits) and the accumulator is folded once at the end;</li>
 *   <li>(A) commutativity: the words may be added in any order, so four independent accumulators
 *       let the CPU add in parallel instead of waiting on one dependency chain.</li>
 * </ul>
 * Four paths, all giving the same result for any offset, length and alignment:
 * <ol>
 *   <li>direct buffers with a memory address (Netty's direct buffers whenever Netty may use
 *       {@code sun.misc.Unsafe}: JDK 17, and JDK 24+ with {@code --sun-misc-unsafe-memory-access=allow})
 *       are read by address, with one range check up front and none per step; on JDK 25 with
 *       {@code --add-modules jdk.incubator.vector}, ranges from 128 bytes go through the Vector API
 *       kernel of the multi-release jar ({@link WideChecksum});</li>
 *   <li>heap buffers through a little-endian {@link VarHandle} view of the array;</li>
 *   <li>other buffers backed by one NIO buffer (direct buffers when Netty runs without Unsafe)
 *       through a VarHandle view of {@link ByteBuf#internalNioBuffer} — ten times faster than
 *       {@code getIntLE} per word, at the price of the one duplicate ByteBuffer Netty caches per
 *       buffer;</li>
 *   <li>anything else (composite buffers of several components) through {@link ByteBuf#getIntLE}.</li>
 * </ol>
 */
public final class InternetChecksum {
    /** The address path reads native-order words; it is used only where native order is little-endian. */
    private static final boolean ADDRESS_ACCESS =
            PlatformDependent.hasUnsafe() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle NIO_INT_LE =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long U32 = 0xffff_ffffL;
    /** Shorter ranges stay on the scalar loop, whose set-up is cheaper (measured: docs/benchmarks.md). */
    private static final int WIDE_MIN_LENGTH = 128;

    private InternetChecksum() {
    }

    /**
     * The folded 16-bit one's-complement sum of {@code length} bytes at absolute index {@code offset}
     * (reader and writer indices are neither used nor moved). 0 only when every byte is zero.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the buffer's capacity (a caller's
     *         bug, never a property of packet content)
     */
    public static int sum(ByteBuf buf, int offset, int length) {
        if ((offset | length) < 0 || offset > buf.capacity() - length) {
            throw new IndexOutOfBoundsException(
                    "range " + offset + "+" + length + " outside capacity " + buf.capacity());
        }
        long littleEndianSum;
        if (ADDRESS_ACCESS && buf.hasMemoryAddress()) {
            littleEndianSum = sumAtAddress(buf.memoryAddress() + offset, length);
        } else if (buf.hasArray()) {
            littleEndianSum = sumOfArray(buf.array(), buf.arrayOffset() + offset, length);
        } else if (buf.nioBufferCount() == 1) {
            ByteBuffer nio = buf.internalNioBuffer(offset, length);
            littleEndianSum = sumOfNioBuffer(nio, nio.position(), length);
        } else {
            littleEndianSum = sumThroughByteBuf(buf, offset, length);
        }
        return swapBytes16(fold(littleEndianSum));
    }

    /**
     * Little-endian 32-bit words at {@code address}: whole 32-byte blocks in {@link #sumBlocks}, then
     * the 0..31 remaining bytes without a loop, one branch per power of two (predictable for a given
     * length). Kept small so the JIT inlines it: a 20-byte IPv4 header never leaves the caller.
     * The range was checked by the caller.
     */
    private static long sumAtAddress(long address, int length) {
        long s0 = 0;
        long s1 = 0;
        long a = address;
        if (length >= 32) {
            s0 = sumWholeBlocks(a, length);
            a += length & ~31;
        }
        if ((length & 16) != 0) {
            s0 += PlatformDependent.getInt(a) & U32;
            s1 += PlatformDependent.getInt(a + 4) & U32;
            s0 += PlatformDependent.getInt(a + 8) & U32;
            s1 += PlatformDependent.getInt(a + 12) & U32;
            a += 16;
        }
        if ((length & 8) != 0) {
            s0 += PlatformDependent.getInt(a) & U32;
            s1 += PlatformDependent.getInt(a + 4) & U32;
            a += 8;
        }
        if ((length & 4) != 0) {
            s0 += PlatformDependent.getInt(a) & U32;
            a += 4;
        }
        if ((length & 2) != 0) {
            s1 += PlatformDependent.getShort(a) & 0xffff;
            a += 2;
        }
        if ((length & 1) != 0) {
            // RFC 1071 §4.1: an odd last byte is the high byte of a zero-padded word; in the
            // little-endian domain that is the low byte.
            s0 += PlatformDependent.getByte(a) & 0xff;
        }
        return s0 + s1;
    }

    /**
     * The whole 32-byte blocks of {@code length} bytes at {@code address}: through the SIMD kernel
     * where the JDK has one ({@link WideChecksum}, JDK 25) and the range is long enough for it to
     * pay, else the scalar loop.
     */
    private static long sumWholeBlocks(long address, int length) {
        WideChecksum wide = WideChecksum.INSTANCE;
        if (wide != null && length >= WIDE_MIN_LENGTH) {
            long s = wide.sumBlocks(address, length / WideChecksum.BLOCK);
            if ((length & 32) != 0) {
                s += sumBlocks(address + (length & -WideChecksum.BLOCK), 1);
            }
            return s;
        }
        return sumBlocks(address, length >>> 5);
    }

    /** {@code blocks} 32-byte blocks at {@code address}: eight 32-bit words into four accumulators per step. */
    private static long sumBlocks(long address, int blocks) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        for (int i = 0, end = blocks << 5; i < end; i += 32) {
            long a = address + i;
            s0 += PlatformDependent.getInt(a) & U32;
            s1 += PlatformDependent.getInt(a + 4) & U32;
            s2 += PlatformDependent.getInt(a + 8) & U32;
            s3 += PlatformDependent.getInt(a + 12) & U32;
            s0 += PlatformDependent.getInt(a + 16) & U32;
            s1 += PlatformDependent.getInt(a + 20) & U32;
            s2 += PlatformDependent.getInt(a + 24) & U32;
            s3 += PlatformDependent.getInt(a + 28) & U32;
        }
        return s0 + s1 + s2 + s3;
    }

    /** The same sum over a heap array; the VarHandle's bounds checks are hoisted out of the loop by the JIT. */
    private static long sumOfArray(byte[] array, int start, int length) {
        long s0 = 0;
        long s1 = 0;
        int i = start;
        int end = start + length;
        for (int last = end - 8; i <= last; i += 8) {
            s0 += (int) INT_LE.get(array, i) & U32;
            s1 += (int) INT_LE.get(array, i + 4) & U32;
        }
        if (i + 4 <= end) {
            s0 += (int) INT_LE.get(array, i) & U32;
            i += 4;
        }
        if (i + 2 <= end) {
            s1 += (array[i] & 0xff) | (array[i + 1] & 0xff) << 8;
            i += 2;
        }
        if (i < end) {
            s0 += array[i] & 0xff;
        }
        return s0 + s1;
    }

    /** The same sum over a NIO buffer from absolute index {@code start} (its position). */
    private static long sumOfNioBuffer(ByteBuffer nio, int start, int length) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        int i = start;
        int end = start + length;
        for (int last = end - 16; i <= last; i += 16) {
            s0 += (int) NIO_INT_LE.get(nio, i) & U32;
            s1 += (int) NIO_INT_LE.get(nio, i + 4) & U32;
            s2 += (int) NIO_INT_LE.get(nio, i + 8) & U32;
            s3 += (int) NIO_INT_LE.get(nio, i + 12) & U32;
        }
        for (int last = end - 4; i <= last; i += 4) {
            s0 += (int) NIO_INT_LE.get(nio, i) & U32;
        }
        if (i + 2 <= end) {
            s1 += (nio.get(i) & 0xff) | (nio.get(i + 1) & 0xff) << 8;
            i += 2;
        }
        if (i < end) {
            s2 += nio.get(i) & 0xff;
        }
        return s0 + s1 + s2 + s3;
    }

    /** The same sum through the ByteBuf API, for buffers with neither an address nor an array. */
    private static long sumThroughByteBuf(ByteBuf buf, int offset, int length) {
        long s = 0;
        int i = offset;
        int end = offset + length;
        for (int last = end - 4; i <= last; i += 4) {
            s += buf.getIntLE(i) & U32;
        }
        if (i + 2 <= end) {
            s += buf.getUnsignedShortLE(i);
            i += 2;
        }
        if (i < end) {
            s += buf.getUnsignedByte(i);
        }
        return s;
    }

    private static int swapBytes16(int value) {
        return (value & 0xff) << 8 | value >>> 8;
    }

    /** The checksum (complemented sum) of a range; 0 means a range that carries a valid checksum. */
    public static int checksum(ByteBuf buf, int offset, int length) {
        return ~sum(buf, offset, length) & 0xffff;
    }

    /**
     * Sum of the TCP/UDP pseudo-header (RFC 9293 §3.1): source, destination, zero, protocol,
     * transport length (header plus payload, in bytes).
     */
    public static int pseudoHeaderSum(int sourceAddress, int destinationAddress, int protocol, int transportLength) {
        long acc = (sourceAddress >>> 16) + (sourceAddress & 0xffff)
                + (destinationAddress >>> 16) + (destinationAddress & 0xffff)
                + protocol + transportLength;
        return fold(acc);
    }

    /**
     * The checksum of a transport segment (header and payload) with its pseudo-header. With the
     * segment's checksum field filled in, 0 means the segment is intact (RFC 9293 §3.1).
     */
    public static int transportChecksum(int sourceAddress, int destinationAddress, int protocol,
                                        ByteBuf buf, int offset, int length) {
        int pseudo = pseudoHeaderSum(sourceAddress, destinationAddress, protocol, length);
        return ~add(pseudo, sum(buf, offset, length)) & 0xffff;
    }

    /** One's-complement addition of two 16-bit sums. */
    public static int add(int sumA, int sumB) {
        return fold((long) (sumA & 0xffff) + (sumB & 0xffff));
    }

    /**
     * Folds a wide accumulator (read as unsigned) to 16 bits with end-around carry (RFC 1071 §4.1).
     * The result is congruent to {@code acc} modulo 0xffff and is 0 only when {@code acc} is 0.
     */
    public static int fold(long acc) {
        acc = (acc >>> 32) + (acc & U32);
        acc = (acc >>> 16) + (acc & 0xffff);
        acc = (acc >>> 16) + (acc & 0xffff);
        acc = (acc >>> 16) + (acc & 0xffff);
        return (int) acc;
    }

    /** The inverse of 0xffff modulo 2^64 (0xffff · this = 1 mod 2^64). */
    private static final long INVERSE_OF_FFFF = 0xfffefffefffeffffL;
    /** The largest quotient of a 64-bit unsigned value by 0xffff: (2^64 − 1) / 0xffff. */
    private static final long MAX_QUOTIENT_OF_FFFF = 0x0001000100010001L;

    /**
     * Whether {@code fold(acc) == 0xffff}, i.e. whether a header carrying its checksum verifies
     * (RFC 1071 §1: the sum of the header with its checksum is all ones). Without the fold's chain
     * of dependent shifts and adds: the fold is congruent to {@code acc} modulo 0xffff and 0 only for
     * 0, so it is 0xffff exactly when {@code acc} (unsigned) is a non-zero multiple of 0xffff; and
     * for an odd divisor d, x is a multiple of d exactly when x · d⁻¹ mod 2^64 ≤ (2^64 − 1) / d
     * (Granlund and Montgomery, "Division by invariant integers using multiplication", PLDI 1994,
     * §9; Hacker's Delight §10-17). Subtracting one first also rejects 0: one multiply, one add,
     * one compare.
     */
    public static boolean foldsToAllOnes(long acc) {
        return Long.compareUnsigned(acc * INVERSE_OF_FFFF - 1, MAX_QUOTIENT_OF_FFFF) < 0;
    }

    /**
     * RFC 1624 eqn. 3: the new checksum after one 16-bit word changes from {@code oldWord} to
     * {@code newWord}: HC' = ~(~HC + ~m + m'). Equal to recomputing the checksum, except that when
     * the new data is all zero (impossible for TCP, whose pseudo-header carries protocol 6) it
     * yields 0x0000 where recomputation yields 0xffff, both one's-complement zero (RFC 1624 §3).
     */
    public static int update(int oldChecksum, int oldWord, int newWord) {
        long acc = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(acc) & 0xffff;
    }

    /** RFC 1624 update for a 32-bit field (an address or a sequence number) that changed. */
    public static int update32(int oldChecksum, int oldValue, int newValue) {
        long acc = (~oldChecksum & 0xffff)
                + (~oldValue >>> 16) + (~oldValue & 0xffff)
                + (newValue >>> 16) + (newValue & 0xffff);
        return ~fold(acc) & 0xffff;
    }
}
