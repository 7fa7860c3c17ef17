package dev.tuntcp.lab;

import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.wire.SegmentBuilder;
import dev.tuntcp.wire.TcpFlags;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Hand-built segments for {@link LabLink#inject}: what an old incarnation of a connection could still
 * have in flight (RFC 9293 §3.5, Figure 9 — an old duplicate SYN). Built with the wire layer's
 * {@link SegmentBuilder}, so checksums and header are exactly as the stack would send them.
 */
public final class StaleSegments {
    private StaleSegments() {
    }

    /**
     * A SYN/ACK from the stack's side of {@code id} carrying sequence number {@code seq} and
     * acknowledging {@code ack} — used with an {@code ack} that is not the kernel's ISN + 1, as the
     * answer to an old duplicate SYN would be. The caller owns the returned buffer.
     */
    public static ByteBuf synAck(ByteBufAllocator alloc, ConnectionId id, int seq, int ack, int mss) {
        return build(alloc, id, seq, ack, TcpFlags.SYN | TcpFlags.ACK, mss);
    }

    /** A SYN (no ACK) from the stack's side of {@code id} with sequence number {@code seq}. */
    public static ByteBuf syn(ByteBufAllocator alloc, ConnectionId id, int seq, int mss) {
        return build(alloc, id, seq, 0, TcpFlags.SYN, mss);
    }

    private static ByteBuf build(ByteBufAllocator alloc, ConnectionId id, int seq, int ack, int flags, int mss) {
        TcpOptions options = new TcpOptions().mss(mss);
        SegmentBuilder b = new SegmentBuilder()
                .addresses(id.local().address(), id.remote().address())
                .ports(id.local().port(), id.remote().port())
                .seq(seq)
                .ack(ack)
                .flags(flags)
                .window(65535)
                .options(options);
        ByteBuf out = alloc.buffer(b.length());
        try {
            b.write(out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
