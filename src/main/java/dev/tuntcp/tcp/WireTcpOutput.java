package dev.tuntcp.tcp;

import dev.tuntcp.wire.SegmentBuilder;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayDeque;

/**
 * The {@link TcpOutput} of a real stack: encodes each {@link Segment} as a whole IPv4 + TCP packet
 * (options, both checksums) with {@link SegmentBuilder} into a buffer from {@code allocator} (pooled direct in production) and hands
 * it to a {@link PacketSink}, which takes ownership. One builder and one options holder are reused.
 *
 * <p>Packet buffers are reused too, so a steady stream of segments makes no trip through the pool per
 * packet (allocation and release were ~15 % of serve's user CPU per segment, docs/benchmarks.md
 * "Per-segment cost"; on a thread that is not a {@code FastThreadLocalThread} Netty's recycler also
 * allocates a queue chunk every 32 releases, ~5 B per packet, issue 9 "0 B per segment"). Each packet
 * goes out with one extra reference of ours. A sink that lets go before returning (a TUN device
 * writes and releases at once) leaves it ours alone, and the next segment is built in the same
 * memory. A sink that keeps the packet (a simulated link, a delaying impairment, a receiver that
 * holds a retained slice) still holds its reference; the buffer then waits in a bounded queue of
 * held packets ({@value #MAX_HELD} packets, {@value #MAX_HELD_BYTES} bytes) and is built into again
 * only once every other reference is gone (refCnt 1), so bytes someone still holds never change.
 * Reuse is on only when Netty's leak detection is off at construction (as in {@code serve}): a stack
 * that a test never closes must not leave a tracked buffer behind; {@link #close} releases them all.
 */
public final class WireTcpOutput implements TcpOutput {
    /** Room for a full-sized segment on an Ethernet-MTU link, so an ACK's buffer serves data too. */
    private static final int MIN_PACKET_CAPACITY = 1536;
    /** Packets a sink may hold while we keep our reference for reuse; more go without one. */
    static final int MAX_HELD = 512;
    /** The capacity those packets may add up to (a window of 64 KiB super-segments: 128 of them). */
    static final long MAX_HELD_BYTES = 8L << 20;
    private final ByteBufAllocator allocator;
    private final PacketSink sink;
    private final SegmentBuilder builder = new SegmentBuilder();
    private final TcpOptions options = new TcpOptions();
    /** The previous packet, ours alone again (refCnt 1) after its sink released it; or null. */
    private ByteBuf reusable;
    /** Packets a sink still held when sent, oldest first, each with our reference. */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(MAX_HELD);
    private long heldBytes;
    private boolean reuse = !ResourceLeakDetector.isEnabled();

    public WireTcpOutput(ByteBufAllocator allocator, PacketSink sink) {
        this.allocator = allocator;
        this.sink = sink;
    }

    @Override
    public void send(Segment s) {
        builder.reset()
                .addresses(s.sourceAddress, s.destinationAddress)
                // DF is set, so the datagram is atomic and its ID carries no meaning (RFC 6864 §4.1):
                // 0 leaks nothing about how many packets the stack sends.
                .identification(0)
                .ports(s.sourcePort, s.destinationPort)
                .seq(s.seq)
                .ack(s.ack)
                .flags(s.flags)
                .window(s.window)
                .urgentPointer(s.urgentPointer)
                .options(fillOptions(s))
                .payload(s.data, s.dataIndex, s.dataLength)
                // A segment for an offloading link (a super-segment, or one segment: SegmentationOffload
                // .mark) leaves the checksum to it: computed per piece, by the kernel or in software.
                .partialChecksum(leftToOffload(s));
        ByteBuf packet = packetBuffer(builder.length());
        try {
            builder.write(packet);
        } catch (RuntimeException e) {
            packet.release();
            throw e;
        }
        if (!reuse) {
            deliver(s, packet);
            return;
        }
        deliver(s, packet.retain()); // the sink's reference; ours stays for reuse
        if (packet.refCnt() == 1) {
            reusable = packet;
        } else if (held.size() < MAX_HELD && heldBytes + packet.capacity() <= MAX_HELD_BYTES) {
            held.addLast(packet); // the sink kept it: ours again once it lets go
            heldBytes += packet.capacity();
        } else {
            packet.release(); // the sink kept it: it is the sink's alone now
        }
    }

    private void deliver(Segment s, ByteBuf packet) {
        if (leftToOffload(s)) {
            sink.sendSegmented(packet, s.segmentSize); // a super-segment (SegmentationOffload)
        } else {
            sink.send(packet);
        }
    }

    private static boolean leftToOffload(Segment s) {
        return s.segmentSize > 0 && s.dataLength > 0;
    }

    /**
     * A writable buffer of at least {@code length} bytes: the reusable one, else the oldest held packet
     * once its sink has let go, else a new one. A held packet that is still in use moves to the back,
     * so one packet kept long (a retained slice) does not stop the reuse of those behind it.
     */
    private ByteBuf packetBuffer(int length) {
        ByteBuf packet = reusable;
        reusable = null;
        if (packet == null && !held.isEmpty()) {
            ByteBuf oldest = held.pollFirst();
            if (oldest.refCnt() == 1) {
                heldBytes -= oldest.capacity();
                packet = oldest;
            } else {
                held.addLast(oldest);
            }
        }
        if (packet != null) {
            if (packet.capacity() >= length) {
                return packet.clear();
            }
            packet.release();
        }
        return allocator.buffer(Math.max(length, MIN_PACKET_CAPACITY));
    }

    /** Releases the reusable buffer (when the stack shuts down); later segments are not reused. */
    public void close() {
        reuse = false;
        if (reusable != null) {
            reusable.release();
            reusable = null;
        }
        for (ByteBuf b; (b = held.pollFirst()) != null; ) {
            b.release(); // ours; the sink's reference, if it still has one, stays its own
        }
        heldBytes = 0;
    }

    private TcpOptions fillOptions(Segment s) {
        if (s.mss < 0 && s.windowScale < 0 && !s.sackPermitted && !s.hasTimestamps && s.sackBlockCount == 0) {
            return null;
        }
        options.clear();
        if (s.mss >= 0) {
            options.mss(s.mss);
        }
        if (s.windowScale >= 0) {
            options.windowScale(s.windowScale);
        }
        options.sackPermitted(s.sackPermitted);
        if (s.hasTimestamps) {
            options.timestamps(s.tsVal, s.tsEcr);
        }
        for (int i = 0; i < s.sackBlockCount; i++) {
            options.addSackBlock(s.sackLeft[i], s.sackRight[i]);
        }
        return options;
    }
}
