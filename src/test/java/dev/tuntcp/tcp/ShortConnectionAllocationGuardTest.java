package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.app.EchoService;
import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What one short connection costs in heap (issue 9, connections per second): open, a 32-byte request
 * echoed by the echo service, close — the pattern of {@code tcpbench conns}. Both ends are TCP layers
 * of this stack on a {@link LoopbackPair} in virtual time, so this counts both a client's and a
 * server's connection. The send and receive buffers of a connection used to allocate (and zero)
 * their whole capacity, 256 KiB each, on first use: over 1 MiB per connection here, and most of the
 * CPU time of a short connection. Counted, not timed (speed belongs to benchmarks/e2e.sh).
 */
class ShortConnectionAllocationGuardTest {
    private static final byte[] REQUEST = new byte[32];

    /** Sends the request on open, closes once the whole echo is back. */
    private static final class OneRequest implements ConnectionHandler {
        final ByteBuf request = Unpooled.wrappedBuffer(REQUEST);
        int echoed;
        boolean closed;

        @Override
        public void onOpen(TcpChannel channel) {
            channel.setTcpNoDelay(true);
            channel.write(request);
        }

        @Override
        public void onReadable(TcpChannel channel) {
            ByteBuf b;
            while ((b = channel.read(4096)) != null) {
                echoed += b.readableBytes();
                b.release();
            }
            if (echoed == REQUEST.length) {
                channel.close();
            }
        }

        @Override
        public void onWritable(TcpChannel channel) {
        }

        @Override
        public void onClosed(TcpChannel channel, CloseReason reason) {
            closed = true;
        }
    }

    @Test
    void aShortEchoedConnectionCostsLittleHeap() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED); // leak records allocate by design
        try {
            LoopbackPair pair = new LoopbackPair(new TcpConfig().allocator(TestAllocator.POOLED), 10_000, 0, 0, 1);
            pair.b.listen(LoopbackPair.ADDRESS_B, EchoService.PORT, new EchoService(new Counters()));
            connections(pair, 300); // warm up: JIT, pool caches, the table's growth
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            int measured = 200;
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            connections(pair, measured);
            long perConnection = (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / measured;
            System.out.println("short connection (client + server end): " + perConnection + " bytes allocated");
            assertTrue(perConnection < 48 * 1024, perConnection + " bytes allocated per connection (both ends)");
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static void connections(LoopbackPair pair, int count) {
        for (int i = 0; i < count; i++) {
            OneRequest client = new OneRequest();
            pair.a.connect(LoopbackPair.ADDRESS_A, LoopbackPair.ADDRESS_B, EchoService.PORT, client);
            pair.runUntil(() -> client.closed || client.echoed == REQUEST.length && serverDone(pair), 5_000_000_000L);
            assertEquals(REQUEST.length, client.echoed);
        }
    }

    /** The server's end has closed too (LAST-ACK done): no connection of B is left. */
    private static boolean serverDone(LoopbackPair pair) {
        return pair.b.connectionCount() == 0;
    }
}
