package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §3: the state machine's hot path (segment in, ACK processing, buffer copy, segment out)
 * allocates nothing per segment in steady state. Two layers exchange segments through preallocated
 * slots (no copying into new objects), the applications reuse their buffers, and the heap bytes
 * this thread allocates during a bulk transfer are counted (not timed: speed belongs to JMH).
 */
class SteadyStateAllocationTest {
    private static final int SLOTS = 4096;

    /** A preallocated one-way wire: segments are copied into reusable slots and delivered later. */
    private static final class Wire implements TcpOutput {
        final Segment[] slots = new Segment[SLOTS];
        final ByteBuf[] data = new ByteBuf[SLOTS];
        int head;
        int tail;
        TcpLayer target;

        Wire() {
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = new Segment();
                data[i] = Unpooled.buffer(2048);
            }
        }

        @Override
        public void send(Segment s) {
            int i = tail++ % SLOTS;
            if (tail - head > SLOTS) {
                throw new AssertionError("wire overflow");
            }
            Segment slot = slots[i].copyFrom(s);
            ByteBuf d = data[i].clear();
            if (s.dataLength > 0) {
                d.writeBytes(s.data, s.dataIndex, s.dataLength);
            }
            slot.data = d;
            slot.dataIndex = 0;
        }

        boolean deliverOne() {
            if (head == tail) {
                return false;
            }
            target.input(slots[head++ % SLOTS]);
            return true;
        }
    }

    /** Writes the same buffer over and over; reads and drops everything. */
    private static final class Bulk implements ConnectionHandler {
        final ByteBuf chunk = Unpooled.buffer(16384).writeZero(16384);
        TcpChannel channel;
        long received;

        @Override
        public void onOpen(TcpChannel ch) {
            channel = ch;
            pump();
        }

        @Override
        public void onReadable(TcpChannel ch) {
            ByteBuf b;
            while ((b = ch.read(65536)) != null) {
                received += b.readableBytes();
                b.release();
            }
        }

        @Override
        public void onWritable(TcpChannel ch) {
            pump();
        }

        @Override
        public void onClosed(TcpChannel ch, CloseReason reason) {
        }

        void pump() {
            while (true) {
                chunk.readerIndex(0);
                if (channel.write(chunk) < chunk.capacity()) {
                    return;
                }
            }
        }
    }

    @Test
    void bulkTransferAllocatesNothingPerSegment() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED); // leak records allocate by design
        try {
            VirtualClock clock = new VirtualClock();
            TimerQueue timers = new TimerQueue(clock);
            Wire toB = new Wire();
            Wire toA = new Wire();
            TcpLayer a = new TcpLayer(TestAllocator.config(), timers, new Counters(), toB);
            TcpLayer b = new TcpLayer(TestAllocator.config(), timers, new Counters(), toA);
            toB.target = b;
            toA.target = a;
            Bulk server = new Bulk();
            Bulk client = new Bulk();
            b.listen(2, 80, () -> server);
            a.connect(1, 2, 80, client);
            run(toB, toA, 20_000); // warm up: handshake, JIT, pool caches
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long receivedBefore = server.received + client.received;
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            int segments = run(toB, toA, 20_000);
            long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            long moved = server.received + client.received - receivedBefore;
            assertEquals(20_000, segments);
            assertTrue(moved > 5_000_000, "bulk data moved both ways: " + moved);
            assertTrue(allocated < 4096, allocated + " bytes allocated over " + segments + " segments");
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static int run(Wire toB, Wire toA, int segments) {
        int n = 0;
        while (n < segments) {
            boolean any = false;
            if (toB.deliverOne()) {
                n++;
                any = true;
            }
            if (n < segments && toA.deliverOne()) {
                n++;
                any = true;
            }
            if (!any) {
                throw new AssertionError("transfer stalled after " + n + " segments");
            }
        }
        return n;
    }
}
