package dev.tuntcp.tcp;

import dev.tuntcp.tcp.cc.CongestionAlgorithm;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;

/**
 * Tunables of one {@link TcpLayer}. Set them before creating the layer; the layer reads them as it
 * goes, so changing them afterwards affects new decisions only. Defaults follow RFC 9293, RFC 6298
 * and Linux where the RFC leaves a choice.
 */
public final class TcpConfig {
    private int mss = 1460;
    private int receiveBufferSize = 256 * 1024;
    private boolean windowScaling = true;
    private boolean timestamps = true;
    private boolean sack = true;
    private long delayedAckNanos = TimeUnit.MILLISECONDS.toNanos(40);
    private int outOfOrderLimit = 256 * 1024;
    private long outOfOrderMemoryLimit = 64L << 20;
    private int receiveBufferMax;
    private int sendBufferSize = 256 * 1024;
    private long initialRtoNanos = TimeUnit.SECONDS.toNanos(1);
    private long maxRtoNanos = TimeUnit.SECONDS.toNanos(60);
    private long minRtoNanos = TimeUnit.MILLISECONDS.toNanos(200);
    private CongestionAlgorithm congestionControl = CongestionAlgorithm.NEWRENO;
    private int synRetries = 7;
    private int dataRetries = 10;
    private long mslNanos = TimeUnit.SECONDS.toNanos(30);
    private long finWait2TimeoutNanos = TimeUnit.SECONDS.toNanos(60);
    private int defaultBacklog = 128;
    private int ephemeralLow = 49152;
    private int ephemeralHigh = 65535;
    private IsnGenerator isnGenerator;
    private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    private int challengeAckLimit = 1000;
    private boolean synCookies = true;
    private int maxConnections = 16384;
    private long receiveMemoryLimit = 1L << 30;
    private long sendMemoryLimit = 1L << 30;
    private boolean noDelay;
    private int segmentationOffload;

    /**
     * The MSS we advertise and the largest payload we send (RFC 9293 §3.7.1): the link MTU minus 40
     * for IPv4 and TCP headers without options. Default 1460 (MTU 1500).
     */
    public int mss() {
        return mss;
    }

    public TcpConfig mss(int value) {
        if (value < 1 || value > 65495) {
            throw new IllegalArgumentException("mss out of range: " + value);
        }
        this.mss = value;
        return this;
    }

    /** The largest receive buffer: the window scale of RFC 7323 §2.3 reaches 65535 << 14 (about 1 GiB). */
    public static final int MAX_RECEIVE_BUFFER = 1 << 30;

    /**
     * Receive buffer per connection; its free space is the advertised window (RFC 9293 §3.8.6.2).
     * Above 65535 the window can be offered only when the peer agrees to window scaling (RFC 7323
     * §2); otherwise a connection advertises at most 65535 of it. Default 256 KiB.
     */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    public TcpConfig receiveBufferSize(int value) {
        if (value < 1 || value > MAX_RECEIVE_BUFFER) {
            throw new IllegalArgumentException("receive buffer must be 1.." + MAX_RECEIVE_BUFFER + ": " + value);
        }
        this.receiveBufferSize = value;
        return this;
    }

    /** Offer and accept the window-scale option (RFC 7323 §2). Default on. */
    public boolean windowScaling() {
        return windowScaling;
    }

    public TcpConfig windowScaling(boolean value) {
        this.windowScaling = value;
        return this;
    }

    /** Offer and accept the timestamps option (RFC 7323 §3: RTTM and PAWS). Default on. */
    public boolean timestamps() {
        return timestamps;
    }

    public TcpConfig timestamps(boolean value) {
        this.timestamps = value;
        return this;
    }

    /** Offer and accept SACK-permitted (RFC 2018) and send SACK blocks. Default on. */
    public boolean sack() {
        return sack;
    }

    public TcpConfig sack(boolean value) {
        this.sack = value;
        return this;
    }

    /**
     * How long an acknowledgment of in-order data may wait for a second full-sized segment or data
     * to carry it (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2: less than 0.5 s). 0 acknowledges every
     * segment at once. Default 40 ms (Linux's minimum delayed-ACK time).
     */
    public long delayedAckNanos() {
        return delayedAckNanos;
    }

    public TcpConfig delayedAckNanos(long value) {
        if (value < 0 || value >= TimeUnit.MILLISECONDS.toNanos(500)) {
            throw new IllegalArgumentException("delayed ACK must be 0..499 ms: " + value + " ns");
        }
        this.delayedAckNanos = value;
        return this;
    }

    /**
     * Bytes of out-of-order data one connection may hold, whatever the peer sends (they wait in the
     * receive buffer's free space, see {@link OutOfOrderQueue}); beyond it out-of-order data is dropped
     * and counted ({@link TcpDrop#OUT_OF_ORDER}). Default 256 KiB.
     */
    public int outOfOrderLimit() {
        return outOfOrderLimit;
    }

    public TcpConfig outOfOrderLimit(int value) {
        this.outOfOrderLimit = nonNegative(value, "out-of-order limit");
        return this;
    }

    /**
     * Bytes of out-of-order data all connections of the layer together may hold (issue 8 item 4);
     * beyond it out-of-order data is dropped and counted ({@link TcpDrop#OUT_OF_ORDER_MEMORY_LIMIT}),
     * what is held stays. Default 64 MiB.
     */
    public long outOfOrderMemoryLimit() {
        return outOfOrderMemoryLimit;
    }

    public TcpConfig outOfOrderMemoryLimit(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("out-of-order memory limit must not be negative: " + value);
        }
        this.outOfOrderMemoryLimit = value;
        return this;
    }

    /**
     * The largest receive buffer autotuning may grow a connection's to (as Linux's tcp_rmem[2]):
     * {@link #receiveBufferSize()} is where it starts, and it grows toward twice the data the
     * application reads per round trip ({@link ReceiveAutotune}). 0 (the default) or anything not
     * above {@link #receiveBufferSize()} turns autotuning off. The window scale is chosen for this
     * maximum.
     */
    public int receiveBufferMax() {
        return Math.max(receiveBufferMax, receiveBufferSize);
    }

    public TcpConfig receiveBufferMax(int value) {
        if (value < 0 || value > MAX_RECEIVE_BUFFER) {
            throw new IllegalArgumentException("receive buffer max out of range: " + value);
        }
        this.receiveBufferMax = value;
        return this;
    }

    /** Send buffer per connection: data written and not yet acknowledged. */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    public TcpConfig sendBufferSize(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("send buffer must be positive: " + value);
        }
        this.sendBufferSize = value;
        return this;
    }

    /** The retransmission timeout before any backoff (RFC 6298 §2.1: one second). */
    public long initialRtoNanos() {
        return initialRtoNanos;
    }

    public TcpConfig initialRtoNanos(long value) {
        this.initialRtoNanos = positive(value, "initial RTO");
        return this;
    }

    /** Upper bound of the backed-off RTO (RFC 6298 §2.5 allows a maximum of at least 60 s). */
    public long maxRtoNanos() {
        return maxRtoNanos;
    }

    public TcpConfig maxRtoNanos(long value) {
        this.maxRtoNanos = positive(value, "max RTO");
        return this;
    }

    /**
     * Lower bound of the computed RTO. Default 200 ms (Linux's TCP_RTO_MIN) rather than RFC 6298 §2.4's
     * 1 s, which dates from coarse clock ticks: see {@link RttEstimator} for why.
     */
    public long minRtoNanos() {
        return minRtoNanos;
    }

    public TcpConfig minRtoNanos(long value) {
        this.minRtoNanos = positive(value, "min RTO");
        return this;
    }

    /** The congestion control every new connection uses ({@code --cc newreno|cubic}); default NewReno. */
    public CongestionAlgorithm congestionControl() {
        return congestionControl;
    }

    public TcpConfig congestionControl(CongestionAlgorithm value) {
        if (value == null) {
            throw new IllegalArgumentException("congestion control is required");
        }
        this.congestionControl = value;
        return this;
    }

    /**
     * Retransmissions of a SYN or SYN/ACK before the open fails (Linux tcp_syn_retries). The default,
     * 7, keeps a SYN going for 183 s with the 1 s initial and 60 s maximum RTO: RFC 9293 §3.8.3
     * (MUST-23) wants R2 for a SYN "at least 3 minutes"; Linux's 6 gives up after 127 s.
     */
    public int synRetries() {
        return synRetries;
    }

    public TcpConfig synRetries(int value) {
        this.synRetries = nonNegative(value, "SYN retries");
        return this;
    }

    /** Retransmissions of data or FIN without progress before the connection times out (RFC 1122 R2). */
    public int dataRetries() {
        return dataRetries;
    }

    public TcpConfig dataRetries(int value) {
        this.dataRetries = nonNegative(value, "data retries");
        return this;
    }

    /** Maximum segment lifetime; TIME-WAIT lasts 2×MSL (RFC 9293 §3.4.2). Default 30 s (Linux's 60 s TIME-WAIT). */
    public long mslNanos() {
        return mslNanos;
    }

    public TcpConfig mslNanos(long value) {
        this.mslNanos = positive(value, "MSL");
        return this;
    }

    public long timeWaitNanos() {
        return 2 * mslNanos;
    }

    /** How long a connection the application has fully closed may wait in FIN-WAIT-2 for the peer's FIN. */
    public long finWait2TimeoutNanos() {
        return finWait2TimeoutNanos;
    }

    public TcpConfig finWait2TimeoutNanos(long value) {
        this.finWait2TimeoutNanos = positive(value, "FIN-WAIT-2 timeout");
        return this;
    }

    /** Bound on half-open connections per listener when {@code listen} is given no backlog. */
    public int defaultBacklog() {
        return defaultBacklog;
    }

    public TcpConfig defaultBacklog(int value) {
        this.defaultBacklog = positive(value, "backlog");
        return this;
    }

    /** Ports for active opens that name none (RFC 6335 §6: 49152-65535). */
    public int ephemeralLow() {
        return ephemeralLow;
    }

    public int ephemeralHigh() {
        return ephemeralHigh;
    }

    public TcpConfig ephemeralPorts(int low, int high) {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("bad ephemeral range " + low + "-" + high);
        }
        this.ephemeralLow = low;
        this.ephemeralHigh = high;
        return this;
    }

    /** Chooses initial sequence numbers; null means an RFC 6528 {@link KeyedIsnGenerator} with a random key. */
    public IsnGenerator isnGenerator() {
        return isnGenerator;
    }

    public TcpConfig isnGenerator(IsnGenerator value) {
        this.isnGenerator = value;
        return this;
    }

    /**
     * TCP_NODELAY for every new connection (default false: Nagle's algorithm on, RFC 1122 §4.2.3.4);
     * each connection can change it with {@code TcpChannel.setTcpNoDelay}.
     */
    public boolean noDelay() {
        return noDelay;
    }

    public TcpConfig noDelay(boolean value) {
        this.noDelay = value;
        return this;
    }

    /** Allocates the buffers {@code TcpChannel.read} returns. */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    public TcpConfig allocator(ByteBufAllocator value) {
        this.allocator = value;
        return this;
    }

    /**
     * RFC 5961 §7: challenge ACKs the whole layer may send per second (Linux tcp_challenge_ack_limit,
     * 1000); each second's budget is drawn at random around it ({@link ChallengeAckLimiter}). 0: no limit.
     */
    public int challengeAckLimit() {
        return challengeAckLimit;
    }

    public TcpConfig challengeAckLimit(int value) {
        this.challengeAckLimit = nonNegative(value, "challenge ACK limit");
        return this;
    }

    /**
     * RFC 4987 §3.6 SYN cookies: once a listener's half-open queue is full, answer further SYNs with a
     * stateless SYN/ACK whose ISS encodes the connection ({@link SynCookies}). Off: such SYNs are dropped.
     */
    public boolean synCookies() {
        return synCookies;
    }

    public TcpConfig synCookies(boolean value) {
        this.synCookies = value;
        return this;
    }

    /** The most connections (any state but LISTEN) the layer holds; beyond it new ones are refused. */
    public int maxConnections() {
        return maxConnections;
    }

    public TcpConfig maxConnections(int value) {
        this.maxConnections = positive(value, "max connections");
        return this;
    }

    /**
     * Receive memory all connections together may hold: each connection reserves its receive buffer
     * (in-order and out-of-order data both live within its window, so within that buffer) when it is
     * created; a new connection that would exceed the limit is refused. Existing ones keep theirs.
     */
    public long receiveMemoryLimit() {
        return receiveMemoryLimit;
    }

    public TcpConfig receiveMemoryLimit(long value) {
        this.receiveMemoryLimit = positive(value, "receive memory limit");
        return this;
    }

    /** Send-buffer memory all connections together may reserve; like {@link #receiveMemoryLimit()}. */
    public long sendMemoryLimit() {
        return sendMemoryLimit;
    }

    public TcpConfig sendMemoryLimit(long value) {
        this.sendMemoryLimit = positive(value, "send memory limit");
        return this;
    }

    /**
     * The largest IPv4 packet the link segments for us (TCP segmentation offload, {@code
     * LinkDevice.segmentationOffload()}), or 0 (the default) to send segments of one MSS. When set,
     * new data goes out in super-segments of several MSS ({@link SegmentationOffload}).
     */
    public int segmentationOffload() {
        return segmentationOffload;
    }

    public TcpConfig segmentationOffload(int maxPacket) {
        this.segmentationOffload = nonNegative(maxPacket, "segmentation offload size");
        return this;
    }

    private static long positive(long value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }

    private static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }

    private static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }
}
