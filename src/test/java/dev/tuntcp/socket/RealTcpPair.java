package dev.tuntcp.socket;

import dev.tuntcp.stack.Clock;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.ParkingWaiter;
import dev.tuntcp.tcp.Segment;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TcpLayer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Two real {@link TcpLayer}s (a "server" host 10.13.0.2 and a "client" host 10.13.0.1) on one
 * threaded {@link EventLoop} in real time, joined by a lossless in-memory wire, each exposed as a
 * {@link SocketStack} through {@link TcpLayerSocketStack}: the sockets and services against the
 * actual state machine, without IP or a TUN device.
 */
public final class RealTcpPair implements AutoCloseable {
    public static final int SERVER = 0x0a0d0002;
    public static final int CLIENT = 0x0a0d0001;

    /** TCP's own buffers come from here, so the test can check they are all released. */
    public final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    public final EventLoop loop = new EventLoop(Clock.system(), new ParkingWaiter());
    public final Counters serverCounters = new Counters();
    public final Counters clientCounters = new Counters();
    public final TcpLayer server;
    public final TcpLayer client;
    public final SocketStack serverStack;
    public final SocketStack clientStack;

    public RealTcpPair(int receiveBuffer, int sendBuffer) {
        TcpConfig config = new TcpConfig().allocator(allocator).receiveBufferSize(receiveBuffer)
                .sendBufferSize(sendBuffer).mslNanos(TimeUnit.MILLISECONDS.toNanos(2));
        TcpLayer[] layers = new TcpLayer[2];
        server = new TcpLayer(config, loop.timers(), serverCounters, seg -> wire(seg, layers[1]));
        client = new TcpLayer(config, loop.timers(), clientCounters, seg -> wire(seg, layers[0]));
        layers[0] = server;
        layers[1] = client;
        serverStack = new TcpLayerSocketStack(loop, server, SERVER);
        clientStack = new TcpLayerSocketStack(loop, client, CLIENT);
        loop.start("real-tcp-pair");
    }

    /** TcpOutput lends the segment for the call only: copy it, deliver it on a later loop round. */
    private void wire(Segment s, TcpLayer to) {
        Segment copy = copyOf(s);
        loop.execute(() -> {
            try {
                to.input(copy);
            } finally {
                if (copy.data != null) {
                    copy.data.release();
                }
            }
        });
    }

    private static Segment copyOf(Segment s) {
        Segment c = new Segment().clear();
        c.sourceAddress = s.sourceAddress;
        c.destinationAddress = s.destinationAddress;
        c.sourcePort = s.sourcePort;
        c.destinationPort = s.destinationPort;
        c.seq = s.seq;
        c.ack = s.ack;
        c.flags = s.flags;
        c.window = s.window;
        c.urgentPointer = s.urgentPointer;
        c.mss = s.mss;
        c.windowScale = s.windowScale;
        c.sackPermitted = s.sackPermitted;
        c.hasTimestamps = s.hasTimestamps;
        c.tsVal = s.tsVal;
        c.tsEcr = s.tsEcr;
        c.sackBlockCount = s.sackBlockCount;
        System.arraycopy(s.sackLeft, 0, c.sackLeft, 0, Segment.MAX_SACK_BLOCKS);
        System.arraycopy(s.sackRight, 0, c.sackRight, 0, Segment.MAX_SACK_BLOCKS);
        if (s.dataLength > 0) {
            ByteBuf data = Unpooled.buffer(s.dataLength);
            data.writeBytes(s.data, s.dataIndex, s.dataLength);
            c.data = data;
            c.dataIndex = 0;
            c.dataLength = s.dataLength;
        }
        return c;
    }

    /** Runs {@code task} on the loop and waits for it. */
    public void onLoop(Runnable task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        if (!done.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the loop did not run the task");
        }
    }

    /** Polls {@code condition} on the loop (1 ms apart) until true or the timeout; true if it held. */
    public boolean awaitOnLoop(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean[] held = new boolean[1];
        while (true) {
            onLoop(() -> held[0] = condition.getAsBoolean());
            if (held[0]) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    public boolean noConnectionsLeft() {
        return server.connectionCount() == 0 && client.connectionCount() == 0;
    }

    @Override
    public void close() throws InterruptedException {
        loop.stop(0);
        if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new AssertionError("loop did not stop");
        }
    }
}
