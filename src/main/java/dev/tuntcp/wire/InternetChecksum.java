package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's-complement of the one's-complement sum of the
 * data taken as big-endian 16-bit words (an odd final byte is padded with zero), plus the IPv4
 * pseudo-header used by TCP (RFC 9293 §3.1) and the incremental update of RFC 1624.
 *
 * <p>Sums ({@code sum*}) are 16-bit values before complementing; a checksum is {@code ~sum & 0xffff}.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** The folded 16-bit one's-complement sum of {@code length} bytes at {@code offset}. */
    public static int sum(ByteBuf buf, int offset, int length) {
        long acc = 0;
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            acc += buf.getUnsignedShort(i);
        }
        if (i < end) {
            acc += (buf.getUnsignedByte(i) << 8);
        }
        return fold(acc);
    }

    /** The checksum (complemented sum) of a range; 0 means a range that carries a valid checksum. */
    public static int checksum(ByteBuf buf, int offset, int length) {
        return ~sum(buf, offset, length) & 0xffff;
    }

    /** Sum of the TCP/UDP pseudo-header: source, destination, zero, protocol, transport length. */
    public static int pseudoHeaderSum(int sourceAddress, int destinationAddress, int protocol, int transportLength) {
        long acc = (sourceAddress >>> 16) + (sourceAddress & 0xffff)
                + (destinationAddress >>> 16) + (destinationAddress & 0xffff)
                + protocol + transportLength;
        return fold(acc);
    }

    /** The checksum of a transport segment (header and payload) with its pseudo-header. */
    public static int transportChecksum(int sourceAddress, int destinationAddress, int protocol,
                                        ByteBuf buf, int offset, int length) {
        int pseudo = pseudoHeaderSum(sourceAddress, destinationAddress, protocol, length);
        return ~add(pseudo, sum(buf, offset, length)) & 0xffff;
    }

    /** One's-complement addition of two 16-bit sums. */
    public static int add(int sumA, int sumB) {
        return fold((long) sumA + sumB);
    }

    /** Folds a wide accumulator to 16 bits with end-around carry. */
    public static int fold(long acc) {
        acc = (acc >>> 32) + (acc & 0xffffffffL);
        acc = (acc >>> 16) + (acc & 0xffff);
        acc = (acc >>> 16) + (acc & 0xffff);
        acc = (acc >>> 16) + (acc & 0xffff);
        return (int) acc;
    }

    /**
     * RFC 1624 eqn. 3: the new checksum after one 16-bit word changes from {@code oldWord} to
     * {@code newWord}: HC' = ~(~HC + ~m + m').
     */
    public static int update(int oldChecksum, int oldWord, int newWord) {
        long acc = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(acc) & 0xffff;
    }

    /** RFC 1624 update for a 32-bit field (an address or a sequence number) that changed. */
    public static int update32(int oldChecksum, int oldValue, int newValue) {
        int c = update(oldChecksum, oldValue >>> 16, newValue >>> 16);
        return update(c, oldValue & 0xffff, newValue & 0xffff);
    }
}
