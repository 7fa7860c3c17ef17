package dev.tuntcp.ip;

/** What the IP layer did (not drops: those are {@link Ipv4Drop} and {@link ReassemblyDrop}). */
public enum Ipv4Stat {
    /** Packets the link handed to {@link Ipv4Input}. */
    PACKETS_IN,
    /** Bytes after the total length (link padding) that were trimmed. */
    PADDING_TRIMMED,
    /** Fragments handed to the reassembler. */
    FRAGMENTS_IN,
    /** Datagrams reassembled from fragments. */
    REASSEMBLED,
    /** Datagrams handed to a registered transport. */
    DELIVERED,
    /** ICMP echo requests answered. */
    ECHO_REQUESTS,
    /** ICMP messages other than echo requests (replies, errors), passed to transports or ignored. */
    ICMP_OTHER_IN,
    /** ICMP error messages sent (protocol unreachable, reassembly time exceeded). */
    ICMP_ERRORS_OUT,
    /** ICMP errors not sent because of the rate limit (RFC 1122 §3.2.2). */
    ICMP_ERRORS_RATE_LIMITED,
    /** Packets given to the link (each fragment counts). */
    PACKETS_OUT,
    /** Datagrams fragmented on output because they exceeded the MTU (RFC 791 §3.2). */
    FRAGMENTED,
    /** Fragments produced by output fragmentation. */
    FRAGMENTS_OUT
}
