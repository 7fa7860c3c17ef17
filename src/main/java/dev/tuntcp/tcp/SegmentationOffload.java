package dev.tuntcp.tcp;

/**
 * TCP segmentation offload on the send side: when the link segments for us
 * ({@link TcpConfig#segmentationOffload()}), new data goes out in super-segments of several MSS,
 * which the link (the kernel, behind a TUN device with TUN_F_TSO4) cuts into wire segments of at
 * most the effective send MSS each — one pass through TCP, IP and the device per 64 KiB instead of per
 * 1448 bytes. The cut is the kernel's (net/ipv4/tcp_offload.c): every piece but the last is exactly
 * one MSS, the sequence number advances by the data before it, FIN and PSH go only on the last piece.
 *
 * <p>So a super-segment must be one the sender could have sent as that run of segments: within
 * min(cwnd, rwnd) (RFC 5681 §3.1, the caller's usable window) and with a short last piece only where
 * a short segment would go now on its own (RFC 9293 §3.8.6.2.1 sender SWS avoidance and Nagle,
 * {@link SendPolicy}) — otherwise the super-segment stops at the last whole MSS, as Linux's
 * {@code tcp_mss_split_point} does. Retransmissions of lost data stay one MSS.
 */
final class SegmentationOffload {
    /** Headers a super-segment carries besides its data: IPv4 (20) and TCP with the most options (60). */
    static final int MAX_HEADERS = 20 + 60;

    private SegmentationOffload() {
    }

    /**
     * The most data one segment from {@code c} may carry: one effective send MSS, or with offload
     * the largest whole number of MSS that fits one IPv4 packet (45 × 1448 with a 65535-byte limit).
     */
    static int sendLimit(Connection c) {
        int mss = c.sndMss;
        int max = c.layer.config().segmentationOffload();
        if (max <= MAX_HEADERS || mss <= 0) {
            return mss;
        }
        int segments = (max - MAX_HEADERS) / mss;
        return segments > 1 ? segments * mss : mss;
    }

    /**
     * Trims {@code want} octets (already within the usable window and {@link #sendLimit}) so that a
     * super-segment's short last piece goes only when SWS avoidance and Nagle would send it alone;
     * {@code unsent} is all the data queued from SND.NXT on. At most one MSS: unchanged.
     */
    static int trim(Connection c, int want, int unsent) {
        int mss = c.sndMss;
        if (want <= mss) {
            return want;
        }
        int tail = want % mss;
        if (tail == 0 || (want == unsent && SendPolicy.sendNow(c, tail, tail))) {
            return want;
        }
        return want - tail;
    }

    /**
     * The length to send when the send ring gave only {@code length} of the {@code requested} octets
     * (it stops where it wraps): a cut super-segment keeps whole MSS only, the rest starts the next.
     */
    static int wholeSegments(Connection c, int length, int requested) {
        int mss = c.sndMss;
        if (length > mss && length < requested) {
            return length - length % mss;
        }
        return length;
    }

    /**
     * Marks {@code out}, about to carry {@code length} octets of data, for the offloading link
     * ({@link Segment#segmentSize} = the MSS): a super-segment when it holds more than one MSS
     * (counted), else one segment whose checksum the link completes. With an offloading link every
     * data segment goes that way: the kernel then neither needs our checksum over up to 64 KiB (at
     * --mtu 65520 every segment is that long) nor verifies it again (a CHECKSUM_PARTIAL packet from
     * a TUN is trusted, as from any device that computes checksums). Without offload: unmarked.
     */
    static void mark(Connection c, Segment out, int length) {
        if (length > c.sndMss) {
            out.segmentSize = c.sndMss;
            c.layer.count(TcpStat.SUPER_SEGMENTS_OUT);
        } else if (length > 0 && c.layer.config().segmentationOffload() > MAX_HEADERS) {
            out.segmentSize = c.sndMss;
        } else {
            out.segmentSize = 0;
        }
    }
}
