package dev.tuntcp.link;

import io.netty.buffer.ByteBuf;

/**
 * The {@code struct virtio_net_hdr} (include/uapi/linux/virtio_net.h) that precedes every packet on a
 * TUN device opened with {@code IFF_VNET_HDR}: how the packet's checksum and segmentation were (on
 * read) or are to be (on write) offloaded. Ten bytes, each 16-bit field in the device's byte order,
 * which is little-endian on the platforms tuntcp runs on (x86-64, aarch64; TUNSETVNETLE is the
 * default there):
 * <pre>
 *   u8  flags        NEEDS_CSUM: the checksum at csum_start + csum_offset holds only the pseudo-header
 *                    sum; DATA_VALID: the kernel already verified it
 *   u8  gso_type     NONE, TCPV4, UDP, TCPV6 (| ECN)
 *   u16 hdr_len      bytes of headers (IP + TCP) in front of the payload
 *   u16 gso_size     payload bytes per segment once segmented (the MSS)
 *   u16 csum_start   where checksumming starts, from the IP header (TUN has no link header)
 *   u16 csum_offset  where the result goes, from csum_start (16 for TCP)
 * </pre>
 * A mutable, reusable value: {@link #read} fills it from a buffer, {@link #write} stores it. Never
 * allocates; never throws on odd content (the device validates what it acts on).
 */
public final class VnetHeader {
    /** sizeof(struct virtio_net_hdr), what TUNSETVNETHDRSZ is set to. */
    public static final int LENGTH = 10;

    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_ECN = 0x80;

    /** offsetof(struct tcphdr, check). */
    public static final int TCP_CHECKSUM_OFFSET = 16;

    private int flags;
    private int gsoType;
    private int headerLength;
    private int gsoSize;
    private int checksumStart;
    private int checksumOffset;

    /** All fields zero: no checksum offload, no segmentation. */
    public VnetHeader clear() {
        flags = 0;
        gsoType = GSO_NONE;
        headerLength = 0;
        gsoSize = 0;
        checksumStart = 0;
        checksumOffset = 0;
        return this;
    }

    /** Reads the ten bytes at absolute {@code index} of {@code buf} (indices unchanged). */
    public VnetHeader read(ByteBuf buf, int index) {
        flags = buf.getUnsignedByte(index);
        gsoType = buf.getUnsignedByte(index + 1);
        headerLength = buf.getUnsignedShortLE(index + 2);
        gsoSize = buf.getUnsignedShortLE(index + 4);
        checksumStart = buf.getUnsignedShortLE(index + 6);
        checksumOffset = buf.getUnsignedShortLE(index + 8);
        return this;
    }

    /** Writes the ten bytes at absolute {@code index} of {@code buf} (indices unchanged). */
    public void write(ByteBuf buf, int index) {
        buf.setByte(index, flags);
        buf.setByte(index + 1, gsoType);
        buf.setShortLE(index + 2, headerLength);
        buf.setShortLE(index + 4, gsoSize);
        buf.setShortLE(index + 6, checksumStart);
        buf.setShortLE(index + 8, checksumOffset);
    }

    /**
     * A TCP/IPv4 packet whose TCP checksum field holds the pseudo-header sum, for the kernel to
     * complete ({@code NEEDS_CSUM}) and, when {@code segmentSize > 0}, to cut into segments of
     * {@code segmentSize} payload bytes ({@code GSO_TCPV4}, the kernel's TSO path).
     *
     * @param ipHeaderLength  IPv4 header bytes (where the TCP header starts)
     * @param tcpHeaderLength TCP header bytes with options
     */
    public VnetHeader tcpv4(int ipHeaderLength, int tcpHeaderLength, int segmentSize) {
        flags = F_NEEDS_CSUM;
        checksumStart = ipHeaderLength;
        checksumOffset = TCP_CHECKSUM_OFFSET;
        if (segmentSize > 0) {
            gsoType = GSO_TCPV4;
            gsoSize = segmentSize;
            headerLength = ipHeaderLength + tcpHeaderLength;
        } else {
            gsoType = GSO_NONE;
            gsoSize = 0;
            headerLength = 0;
        }
        return this;
    }

    public int flags() {
        return flags;
    }

    public boolean needsChecksum() {
        return (flags & F_NEEDS_CSUM) != 0;
    }

    public boolean dataValid() {
        return (flags & F_DATA_VALID) != 0;
    }

    /** The GSO type without the ECN bit. */
    public int gsoType() {
        return gsoType & ~GSO_ECN;
    }

    public boolean gsoEcn() {
        return (gsoType & GSO_ECN) != 0;
    }

    public int headerLength() {
        return headerLength;
    }

    public int gsoSize() {
        return gsoSize;
    }

    public int checksumStart() {
        return checksumStart;
    }

    public int checksumOffset() {
        return checksumOffset;
    }

    public VnetHeader flags(int value) {
        flags = value & 0xff;
        return this;
    }

    public VnetHeader gsoType(int value) {
        gsoType = value & 0xff;
        return this;
    }

    public VnetHeader headerLength(int value) {
        headerLength = value & 0xffff;
        return this;
    }

    public VnetHeader gsoSize(int value) {
        gsoSize = value & 0xffff;
        return this;
    }

    public VnetHeader checksumStart(int value) {
        checksumStart = value & 0xffff;
        return this;
    }

    public VnetHeader checksumOffset(int value) {
        checksumOffset = value & 0xffff;
        return this;
    }

    @Override
    public String toString() {
        return "virtio_net_hdr{flags " + flags + ", gso_type " + gsoType + ", hdr_len " + headerLength
                + ", gso_size " + gsoSize + ", csum_start " + checksumStart + ", csum_offset " + checksumOffset + "}";
    }
}
