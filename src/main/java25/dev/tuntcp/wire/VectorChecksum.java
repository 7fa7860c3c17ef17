package dev.tuntcp.wire;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WideChecksum} with the JDK 25 Vector API: 64 bytes per step as two 256-bit loads of four
 * little-endian 64-bit lanes; each lane is split into its two 32-bit words (mask and shift) which
 * are added into 64-bit lane accumulators, the SIMD form of {@link InternetChecksum}'s scalar loop
 * (RFC 1071 §2(B) byte order, §2(C) parallel summation; a lane takes at most 2^26 words of
 * 2^32 for a 64 KiB range, far from overflowing).
 *
 * <p>Memory is read through one segment spanning the whole address space, made once, so a call
 * allocates nothing and costs no segment set-up: {@code MemorySegment.reinterpret} is a restricted
 * method ({@code --enable-native-access=ALL-UNNAMED}, which the launcher and jmh.sh pass; without
 * it the JDK prints one warning). Addresses come from Netty's direct buffers and were range-checked
 * by the caller.
 */
final class VectorChecksum implements WideChecksum {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_256;
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final long LOW_WORD = 0xffff_ffffL;

    @Override
    public long sumBlocks(long address, int blocks) {
        LongVector low0 = LongVector.zero(SPECIES);
        LongVector high0 = LongVector.zero(SPECIES);
        LongVector low1 = LongVector.zero(SPECIES);
        LongVector high1 = LongVector.zero(SPECIES);
        long end = address + (long) blocks * BLOCK;
        for (long a = address; a < end; a += BLOCK) {
            LongVector v0 = LongVector.fromMemorySegment(SPECIES, ALL, a, ByteOrder.LITTLE_ENDIAN);
            LongVector v1 = LongVector.fromMemorySegment(SPECIES, ALL, a + 32, ByteOrder.LITTLE_ENDIAN);
            low0 = low0.add(v0.and(LOW_WORD));
            high0 = high0.add(v0.lanewise(VectorOperators.LSHR, 32));
            low1 = low1.add(v1.and(LOW_WORD));
            high1 = high1.add(v1.lanewise(VectorOperators.LSHR, 32));
        }
        return low0.add(high0).add(low1.add(high1)).reduceLanes(VectorOperators.ADD);
    }
}
