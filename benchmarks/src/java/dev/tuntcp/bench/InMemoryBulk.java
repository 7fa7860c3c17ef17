package dev.tuntcp.bench;

import dev.tuntcp.ip.Ipv4Config;
import dev.tuntcp.link.SimLink;
import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.PayloadHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.Stack;
import dev.tuntcp.stack.TcpStack;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TcpStat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.BindException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Two complete stacks ({@link Stack} + {@link TcpStack}: IPv4 in and out, TCP, a manual event loop)
 * back to back on a zero-delay {@link SimLink} in virtual time, with one connection from A to B's
 * port 80: A's application writes, B's reads and lets go. Used by {@link BulkTransferBench} (speed)
 * and by the in-memory allocation guard (bytes allocated per segment), so both measure one path.
 *
 * <p>B's reader takes data one of two ways ({@link Receive}): {@link TcpChannel#read} copies (the
 * receive buffer, then a pooled buffer per read), or as a {@link PayloadHandler} that counts the
 * bytes where the packet holds them, as the discard and iperf3 services do.
 *
 * <p>Owned by the thread that creates it (the manual loop's owner).
 */
public final class InMemoryBulk implements AutoCloseable {
    private static final int A = 0x0A0D0001;
    private static final int B = 0x0A0D0002;
    private static final long STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final EventLoop loop;
    private final SimLink link;
    private final TcpStack tcpA;
    private final TcpStack tcpB;
    private final Writer writer;
    private final Reader reader;
    /** What {@link #transfer} waits for; a field, so waiting allocates no capturing lambda. */
    private long target;
    private final BooleanSupplier reached = () -> received() >= target;

    /** How B's application takes the data. */
    public enum Receive {
        /** {@link TcpChannel#read}: copied into the receive buffer, then into a buffer per read. */
        READ,
        /** {@link PayloadHandler#onPayload}: counted where the packet holds it, no copy. */
        PAYLOAD
    }

    /** As {@link #InMemoryBulk(int, ByteBufAllocator, Receive, boolean)}: copying reads, no offloads. */
    public InMemoryBulk(int mtu, ByteBufAllocator alloc) {
        this(mtu, alloc, Receive.READ, false);
    }

    /** As {@link #InMemoryBulk(int, ByteBufAllocator, Receive, boolean)} without offloads. */
    public InMemoryBulk(int mtu, ByteBufAllocator alloc, Receive receive) {
        this(mtu, alloc, receive, false);
    }

    /**
     * Connects A to B over a link of {@code mtu} (MSS {@code mtu - 40}); nothing is sent yet. With
     * {@code offload} the link acts as a TUN device with {@code serve --offload}'s offloads
     * ({@link SimLink#createWithOffload}): 64 KiB super-segments cross whole, checksums are trusted.
     */
    public InMemoryBulk(int mtu, ByteBufAllocator alloc, Receive receive, boolean offload) {
        reader = receive == Receive.PAYLOAD ? new PayloadReader() : new Reader();
        loop = EventLoop.manual(new VirtualClock());
        link = offload ? SimLink.createWithOffload(loop.timers(), mtu) : SimLink.create(loop.timers(), mtu);
        TcpConfig config = new TcpConfig().mss(mtu - 40).allocator(alloc)
                .segmentationOffload(link.a().segmentationOffload());
        Stack a = new Stack(loop, link.a(), new Ipv4Config(A, 24), new Counters(), alloc, 1L);
        Stack b = new Stack(loop, link.b(), new Ipv4Config(B, 24), new Counters(), alloc, 2L);
        tcpA = new TcpStack(a, config);
        tcpB = new TcpStack(b, config);
        writer = new Writer(alloc);
        try {
            tcpB.listen(80, () -> reader);
        } catch (BindException e) {
            throw new IllegalStateException(e);
        }
        tcpA.connect(B, 80, writer);
    }

    /**
     * Lets A's application write {@code bytes} more and runs the loop until B's application has read
     * them. At zero delay the transfer never pauses at one instant of virtual time, so the writer
     * stops at its budget and the loop then runs to idle, stepping virtual time over delayed ACKs.
     * Returns the segments A sent meanwhile.
     *
     * @throws IllegalStateException when the transfer stalls
     */
    public long transfer(long bytes) {
        Counters counters = tcpA.stack().counters();
        long segmentsBefore = counters.get(TcpStat.SEGMENTS_OUT);
        target = reader.received + bytes;
        writer.budget += bytes;
        if (writer.channel != null) {
            writer.pump();
        }
        if (!loop.advanceUntil(reached, STALL_LIMIT_NANOS)) {
            throw new IllegalStateException("transfer stalled at " + reader.received + " of " + target
                    + " bytes; counters A " + counters.snapshot() + " B " + tcpB.stack().counters().snapshot());
        }
        return counters.get(TcpStat.SEGMENTS_OUT) - segmentsBefore;
    }

    /** Application bytes B has read so far. */
    public long received() {
        return reader.received;
    }

    @Override
    public void close() {
        tcpA.close();
        tcpB.close();
        writer.chunk.release();
        link.close();
    }

    /** Writes one pooled direct chunk over and over as the send buffer frees, up to its budget. */
    private static final class Writer implements ConnectionHandler {
        final ByteBuf chunk;
        TcpChannel channel;
        long budget;
        long written;

        Writer(ByteBufAllocator alloc) {
            chunk = alloc.directBuffer(64 * 1024, 64 * 1024);
            for (int i = 0; i < chunk.capacity(); i++) {
                chunk.writeByte('a' + i % 26);
            }
        }

        @Override
        public void onOpen(TcpChannel ch) {
            channel = ch;
            pump();
        }

        @Override
        public void onReadable(TcpChannel ch) {
        }

        @Override
        public void onWritable(TcpChannel ch) {
            pump();
        }

        @Override
        public void onClosed(TcpChannel ch, CloseReason reason) {
            channel = null;
        }

        void pump() {
            while (channel != null && written < budget) {
                int offer = (int) Math.min(chunk.capacity(), budget - written);
                chunk.setIndex(0, offer);
                int taken = channel.write(chunk);
                written += taken;
                if (taken < offer) {
                    return;
                }
            }
        }
    }

    /** Reads everything and lets it go, counting bytes. */
    private static class Reader implements ConnectionHandler {
        long received;

        @Override
        public void onOpen(TcpChannel ch) {
            onReadable(ch);
        }

        @Override
        public void onReadable(TcpChannel ch) {
            ByteBuf b;
            while ((b = ch.read(Integer.MAX_VALUE)) != null) {
                received += b.readableBytes();
                b.release();
            }
        }

        @Override
        public void onWritable(TcpChannel ch) {
        }

        @Override
        public void onClosed(TcpChannel ch, CloseReason reason) {
        }
    }

    /** Counts lent payload without a copy; what waited in the receive buffer is read as before. */
    private static final class PayloadReader extends Reader implements PayloadHandler {
        @Override
        public void onPayload(TcpChannel ch, ByteBuf payload) {
            int n = payload.readableBytes();
            payload.skipBytes(n);
            received += n;
        }
    }
}
