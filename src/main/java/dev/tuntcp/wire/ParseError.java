package dev.tuntcp.wire;

/**
 * Why a header was rejected. Every parser in {@code wire} returns one of these constants instead of
 * throwing, so the caller can count the drop ({@code Counters.increment(error)}) without allocating.
 * {@link #NONE} means the input is well formed.
 */
public enum ParseError {
    /** Well formed. */
    NONE,

    // ---- IPv4 (RFC 791 §3.1) ----
    /** Fewer than 20 bytes, or the range given does not lie inside the buffer. */
    IPV4_TRUNCATED,
    /** The version field is not 4. */
    IPV4_BAD_VERSION,
    /** IHL below 5: a header must be at least five 32-bit words. */
    IPV4_IHL_TOO_SMALL,
    /** IHL * 4 is larger than the bytes available. */
    IPV4_IHL_BEYOND_BUFFER,
    /** Total length claims more bytes than the buffer holds. */
    IPV4_TOTAL_LENGTH_BEYOND_BUFFER,
    /** Total length is smaller than the header length IHL * 4. */
    IPV4_TOTAL_LENGTH_BELOW_HEADER,
    /** The header checksum does not verify (RFC 791 §3.1, RFC 1071). */
    IPV4_BAD_CHECKSUM,
    /** A whole-packet TCP parse ({@link TcpPacketRepr#parse}) met a datagram of another protocol. */
    IPV4_NOT_TCP,

    // ---- TCP header (RFC 9293 §3.1) ----
    /** Fewer than 20 bytes of segment, or the range lies outside the buffer. */
    TCP_TRUNCATED,
    /** Data offset below 5 words. */
    TCP_DATA_OFFSET_TOO_SMALL,
    /** Data offset * 4 is larger than the segment. */
    TCP_DATA_OFFSET_BEYOND_SEGMENT,
    /** The checksum over pseudo-header, header and data does not verify (RFC 9293 §3.1). */
    TCP_BAD_CHECKSUM,

    // ---- TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018) ----
    /** An option's length byte is 0 or 1 (RFC 9293 §3.2: the length counts kind and length). */
    TCP_OPTION_LENGTH_TOO_SMALL,
    /** An option (or its length byte) runs past the end of the TCP header. */
    TCP_OPTION_OVERRUNS_HEADER,
    /** A known option with a length its definition does not allow (e.g. MSS not 4, SACK not 2+8n). */
    TCP_OPTION_BAD_LENGTH,
    /** A second MSS option in the same header. */
    TCP_OPTION_DUPLICATE_MSS,
    /**
     * A window-scale shift above 14. Not a rejection: RFC 7323 §2.3 says the receiver "MUST use 14
     * instead", so {@link TcpOptions#read} clamps the shift, returns {@link #NONE}, and reports this
     * constant through {@link TcpOptions#warning()} so it can be counted ("SHOULD log the error").
     */
    TCP_OPTION_WINDOW_SCALE_CLAMPED,

    // ---- ICMP (RFC 792) ----
    /** Fewer than the 8 bytes of an ICMP header, or the range lies outside the buffer. */
    ICMP_TRUNCATED,
    /** The ICMP checksum over the whole message does not verify. */
    ICMP_BAD_CHECKSUM;

    /** True for every constant except {@link #NONE}. */
    public boolean isError() {
        return this != NONE;
    }
}
