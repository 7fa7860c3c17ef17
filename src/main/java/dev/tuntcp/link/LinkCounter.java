package dev.tuntcp.link;

/** What a link device counts in {@link dev.tuntcp.stack.Counters}: traffic and every drop with its reason. */
public enum LinkCounter {
    PACKETS_IN,
    BYTES_IN,
    PACKETS_OUT,
    BYTES_OUT,
    /** The device queue was full (EAGAIN/ENOBUFS on write): the packet is dropped, the loop never blocks. */
    WRITE_DROPS,
    /** write(2) failed for another reason (device gone, packet refused). */
    WRITE_ERRORS,
    /**
     * The writer thread's queue was full and the event loop waited for it ({@link TunDevice#startWriterThread}):
     * backpressure, nothing dropped.
     */
    WRITE_QUEUE_FULL,
    /** A packet handed to a closed device. */
    SEND_AFTER_CLOSE,
    /** read(2) failed with something other than EAGAIN. */
    READ_ERRORS,
    /** The kernel had a packet larger than our read buffer (the device MTU was raised behind our back). */
    READ_TRUNCATED,
    /** A read shorter than the virtio-net header (only with IFF_VNET_HDR). */
    READ_RUNT,
    /** A packet arrived before any receiver was set. */
    NO_RECEIVER,
    /**
     * Packets that came with a virtio-net header asking for their checksum to be completed
     * (NEEDS_CSUM, the kernel's partial checksum under TUN_F_CSUM); the device completed it.
     */
    PARTIAL_CHECKSUMS_IN,
    /** Super-segments the kernel handed over whole (GSO_TCPV4 under TUN_F_TSO4), and their bytes. */
    GSO_PACKETS_IN,
    GSO_BYTES_IN,
    /** A virtio-net header we cannot act on (checksum position outside the packet, not TCP/IPv4 GSO): dropped. */
    BAD_VNET_HEADER,
    /** Super-segments written for the kernel to segment (TSO), and their bytes. */
    GSO_PACKETS_OUT,
    GSO_BYTES_OUT,
    /** A packet handed to sendSegmented that is not TCP/IPv4: dropped. */
    SEGMENTATION_REFUSED,
    /** The pcap tap could not write a record; recording stopped. */
    PCAP_ERRORS
}
