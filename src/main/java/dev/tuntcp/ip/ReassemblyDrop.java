package dev.tuntcp.ip;

/**
 * Why {@link FragmentReassembler} dropped a fragment or a whole datagram; each is a counter in
 * {@link dev.tuntcp.stack.Counters}.
 */
public enum ReassemblyDrop {
    /**
     * A fragment overlapped another one of the same datagram without being an exact duplicate: the
     * whole datagram is discarded and later fragments of it too (RFC 5722's rule, applied to IPv4 as
     * Linux does, because overlaps are only ever used to evade inspection).
     */
    OVERLAP,
    /** A fragment with the same offset and length as one already held (a network duplicate). */
    DUPLICATE,
    /** A fragment of a datagram already discarded (overlap, inconsistency), until its timeout. */
    AFTER_DISCARD,
    /** RFC 791/1122 §3.3.2: the datagram did not complete within the reassembly timeout. */
    TIMEOUT,
    /** The global memory bound was reached: the oldest datagram was evicted to make room. */
    MEMORY_LIMIT,
    /** The datagram would exceed 65535 bytes (the "ping of death"). */
    TOO_LARGE,
    /** More fragments than the per-datagram bound. */
    TOO_MANY_FRAGMENTS,
    /** RFC 791: every fragment but the last carries a multiple of 8 payload bytes; or an empty one. */
    MISALIGNED,
    /** Two different ends for the datagram, or data beyond the last fragment's end. */
    INCONSISTENT_LENGTH,
    /** Fragments still held when the reassembler closed. */
    CLOSED
}
