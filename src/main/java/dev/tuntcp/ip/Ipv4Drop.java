package dev.tuntcp.ip;

import dev.tuntcp.wire.ParseError;

/**
 * Why {@link Ipv4Input} or {@link Ipv4Output} dropped a packet; each is a counter in
 * {@link dev.tuntcp.stack.Counters}. Fragment reassembly has its own reasons in {@link ReassemblyDrop}.
 */
public enum Ipv4Drop {
    /** The version nibble is not 4: IPv6 router/neighbour solicitations and MLD the kernel sends into a fresh TUN, or junk. */
    NOT_IPV4,
    /** Fewer than 20 bytes. */
    TRUNCATED,
    /** IHL below 5 words (RFC 791 §3.1). */
    IHL_TOO_SMALL,
    /** IHL claims more header than the packet holds. */
    IHL_BEYOND_PACKET,
    /** Total length claims more bytes than were read (a truncated datagram). */
    TOTAL_LENGTH_BEYOND_PACKET,
    /** Total length below the header length. */
    TOTAL_LENGTH_BELOW_HEADER,
    /** The header checksum does not verify (RFC 1071). */
    BAD_CHECKSUM,
    /** TTL 0: no sender may emit it (RFC 1122 §3.2.1.7), so it is corrupt or forged. */
    TTL_ZERO,
    /** RFC 1122 §3.2.1.3: the source is not a unicast address (multicast, broadcast, 0/8, loopback) or is our own. */
    BAD_SOURCE,
    /** The destination is another host; a host does not forward (RFC 1122 §3.3.1). */
    NOT_FOR_US,
    /** Sent to the limited or subnet-directed broadcast address; nothing of ours listens there. */
    BROADCAST,
    /** Sent to a multicast group; we join none. */
    MULTICAST,
    /** Fewer than 8 bytes of ICMP message. */
    ICMP_TRUNCATED,
    /** The ICMP checksum does not verify. */
    ICMP_BAD_CHECKSUM,
    /** A transport protocol with no receiver; answered with ICMP protocol unreachable (RFC 1122 §3.2.2.1). */
    NO_TRANSPORT,
    /** Output: larger than the link MTU with DF set; a local sender must respect the MTU. */
    OUT_TOO_BIG_WITH_DF,
    /** Output: the packet handed to {@link Ipv4Output} is not a valid IPv4 packet. */
    OUT_MALFORMED;

    /** The drop reason for a failed {@link dev.tuntcp.wire.Ipv4Header#wrap}. */
    static Ipv4Drop of(ParseError error) {
        switch (error) {
            case IPV4_BAD_VERSION:
                return NOT_IPV4;
            case IPV4_IHL_TOO_SMALL:
                return IHL_TOO_SMALL;
            case IPV4_IHL_BEYOND_BUFFER:
                return IHL_BEYOND_PACKET;
            case IPV4_TOTAL_LENGTH_BEYOND_BUFFER:
                return TOTAL_LENGTH_BEYOND_PACKET;
            case IPV4_TOTAL_LENGTH_BELOW_HEADER:
                return TOTAL_LENGTH_BELOW_HEADER;
            case IPV4_BAD_CHECKSUM:
                return BAD_CHECKSUM;
            case ICMP_TRUNCATED:
                return ICMP_TRUNCATED;
            case ICMP_BAD_CHECKSUM:
                return ICMP_BAD_CHECKSUM;
            default:
                return TRUNCATED;
        }
    }
}
