package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuntcp.wire.InternetChecksumProperties.BufferKind;
import io.netty.buffer.ByteBuf;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Ipv4Header#wrap}'s verdict against a plain reference of issue 3 point 3's checks, for
 * headers near the valid ones: the version-4, IHL-5 fast path (which skips the version and IHL
 * checks and tests the checksum by divisibility) and the general path must give exactly the reason
 * the checks in their documented order give, on every kind of buffer.
 */
class Ipv4HeaderProperties {

    /**
     * 20 to 80 bytes: a header with IHL 5 to 15 (mostly 5), a total length near the bytes there
     * are, a correct checksum, then sometimes one byte of the first 24 changed or the checksum left
     * wrong.
     */
    @Provide
    Arbitrary<byte[]> nearValidDatagrams() {
        Arbitrary<Integer> ihl = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(5)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(5, 15)));
        return Combinators.combine(
                        ihl,
                        Arbitraries.integers().between(20, 80),
                        Arbitraries.integers().between(-3, 3),
                        Arbitraries.bytes().array(byte[].class).ofSize(80),
                        Arbitraries.integers().between(-1, 23),
                        Arbitraries.bytes())
                .as((headerWords, length, totalDelta, random, changeAt, changeTo) -> {
                    byte[] b = java.util.Arrays.copyOf(random, length);
                    int hlen = Math.min(headerWords * 4, length & ~3);
                    b[0] = (byte) (0x40 | hlen / 4);
                    int total = Math.max(0, Math.min(0xffff, length + totalDelta));
                    b[2] = (byte) (total >>> 8);
                    b[3] = (byte) total;
                    b[10] = 0;
                    b[11] = 0;
                    int sum = InternetChecksumReference.sum(b, 0, hlen);
                    b[10] = (byte) (~sum >>> 8);
                    b[11] = (byte) ~sum;
                    if (changeAt >= 0 && changeAt < length) {
                        b[changeAt] = changeTo;
                    }
                    return b;
                });
    }

    @Property(tries = 3000)
    void wrapGivesTheReferenceVerdict(@ForAll("nearValidDatagrams") byte[] datagram,
                                      @ForAll @IntRange(max = 7) int offset, @ForAll BufferKind kind) {
        ByteBuf buf = kind.holding(datagram, offset);
        try {
            Ipv4Header ip = new Ipv4Header();
            ParseError expected = reference(datagram);
            assertEquals(expected, ip.wrap(buf, offset, datagram.length));
            if (expected == ParseError.NONE) {
                assertEquals((datagram[0] & 0x0f) * 4, ip.headerLength());
                assertEquals((datagram[2] & 0xff) << 8 | datagram[3] & 0xff, ip.totalLength());
            } else {
                assertEquals(0, ip.headerLength());
                assertEquals(0, ip.payloadLength());
            }
        } finally {
            buf.release();
        }
    }

    /** Issue 3 point 3's IPv4 checks, in Ipv4Header.wrap's documented order, over a plain array. */
    static ParseError reference(byte[] b) {
        int length = b.length;
        if (length < 20) {
            return ParseError.IPV4_TRUNCATED;
        }
        if ((b[0] & 0xf0) != 0x40) {
            return ParseError.IPV4_BAD_VERSION;
        }
        int hlen = (b[0] & 0x0f) * 4;
        if (hlen < 20) {
            return ParseError.IPV4_IHL_TOO_SMALL;
        }
        if (hlen > length) {
            return ParseError.IPV4_IHL_BEYOND_BUFFER;
        }
        int total = (b[2] & 0xff) << 8 | b[3] & 0xff;
        if (total > length) {
            return ParseError.IPV4_TOTAL_LENGTH_BEYOND_BUFFER;
        }
        if (total < hlen) {
            return ParseError.IPV4_TOTAL_LENGTH_BELOW_HEADER;
        }
        if (InternetChecksumReference.sum(b, 0, hlen) != 0xffff) {
            return ParseError.IPV4_BAD_CHECKSUM;
        }
        return ParseError.NONE;
    }

    /** The divisibility test that replaces the fold on the fast path is the fold's verdict for any 64-bit value. */
    @Property(tries = 5000)
    void foldsToAllOnesIsTheFoldsVerdict(@ForAll("sums") long acc) {
        assertEquals(InternetChecksum.fold(acc) == 0xffff, InternetChecksum.foldsToAllOnes(acc));
    }

    @Provide
    Arbitrary<Long> sums() {
        Arbitrary<Long> multiples = Arbitraries.longs().between(0, 0x0001000100010001L).map(q -> q * 0xffff);
        return Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(0, 5L << 32), // what five 32-bit words sum to
                multiples,
                multiples.map(m -> m + 1),
                multiples.map(m -> m - 1),
                Arbitraries.of(0L, 1L, 0xfffeL, 0xffffL, 0x10000L, 0x1fffeL, -1L, -2L, Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
