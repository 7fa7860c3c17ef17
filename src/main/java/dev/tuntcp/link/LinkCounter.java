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
    /** The pcap tap could not write a record; recording stopped. */
    PCAP_ERRORS
}
