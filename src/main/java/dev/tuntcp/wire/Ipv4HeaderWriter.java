package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * Writes a 20-byte IPv4 header (no options, RFC 791 §3.1) with its checksum at an absolute index;
 * used by {@link SegmentBuilder}, {@link IcmpBuilder} and the IP layer. Allocation free; never
 * moves the buffer's indices and never releases it.
 */
public final class Ipv4HeaderWriter {
    /** Linux's default TTL (net.ipv4.ip_default_ttl). */
    public static final int DEFAULT_TTL = 64;

    private Ipv4HeaderWriter() {
    }

    /**
     * Writes an unfragmented header.
     *
     * @param totalLength header (20) plus payload bytes
     */
    public static void write(ByteBuf buf, int offset, int tos, int totalLength, int identification,
                             boolean dontFragment, int ttl, int protocol, int source, int destination) {
        write(buf, offset, tos, totalLength, identification, dontFragment, false, 0, ttl, protocol,
                source, destination);
    }

    /**
     * Writes a header with every field given.
     *
     * @param fragmentOffset offset in bytes; must be a multiple of 8 (the low 3 bits are dropped)
     */
    public static void write(ByteBuf buf, int offset, int tos, int totalLength, int identification,
                             boolean dontFragment, boolean moreFragments, int fragmentOffset, int ttl,
                             int protocol, int source, int destination) {
        int flagsFragment = (fragmentOffset >>> 3) & Ipv4Header.FRAGMENT_OFFSET_MASK;
        if (dontFragment) {
            flagsFragment |= Ipv4Header.FLAG_DF;
        }
        if (moreFragments) {
            flagsFragment |= Ipv4Header.FLAG_MF;
        }
        buf.setByte(offset + Ipv4Header.VERSION_IHL, 0x45);
        buf.setByte(offset + Ipv4Header.TOS, tos);
        buf.setShort(offset + Ipv4Header.TOTAL_LENGTH, totalLength);
        buf.setShort(offset + Ipv4Header.IDENTIFICATION, identification);
        buf.setShort(offset + Ipv4Header.FLAGS_FRAGMENT, flagsFragment);
        buf.setByte(offset + Ipv4Header.TTL, ttl);
        buf.setByte(offset + Ipv4Header.PROTOCOL, protocol);
        buf.setShort(offset + Ipv4Header.CHECKSUM, 0);
        buf.setInt(offset + Ipv4Header.SOURCE, source);
        buf.setInt(offset + Ipv4Header.DESTINATION, destination);
        buf.setShort(offset + Ipv4Header.CHECKSUM,
                InternetChecksum.checksum(buf, offset, Ipv4Header.MIN_LENGTH));
    }

    /**
     * Recomputes the header checksum of an existing header of any length (e.g. after a field was
     * changed by hand in a test or by the IP layer).
     */
    public static void updateChecksum(ByteBuf buf, int offset) {
        int hlen = (buf.getUnsignedByte(offset) & 0x0f) << 2;
        buf.setShort(offset + Ipv4Header.CHECKSUM, 0);
        buf.setShort(offset + Ipv4Header.CHECKSUM, InternetChecksum.checksum(buf, offset, hlen));
    }
}
