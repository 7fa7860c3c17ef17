package dev.tuntcp.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The ring is a bounded FIFO: any sequence of writes and reads matches a queue model. */
class ByteRingTest {

    @Property(tries = 300)
    void behavesLikeABoundedQueue(@ForAll @IntRange(min = 1, max = 64) int capacity,
            @ForAll @Size(max = 60) List<@IntRange(min = -80, max = 80) Integer> ops) {
        ByteRing ring = new ByteRing(capacity);
        ArrayDeque<Byte> model = new ArrayDeque<>();
        byte next = 0;
        for (int i = 0; i < ops.size(); i++) {
            int op = ops.get(i);
            if (op >= 0) {
                byte[] src = new byte[op];
                for (int j = 0; j < op; j++) {
                    src[j] = next++;
                }
                int taken;
                if (i % 2 == 0) {
                    taken = ring.write(src, 0, op);
                } else {
                    int fits = Math.min(op, ring.free());
                    ByteBuf buf = Unpooled.wrappedBuffer(src, 0, fits);
                    ring.writeFrom(buf);
                    taken = fits;
                }
                assertEquals(Math.min(op, capacity - model.size()), taken);
                for (int j = 0; j < taken; j++) {
                    model.add(src[j]);
                }
                next = (byte) (next - (op - taken));
            } else {
                byte[] dst = new byte[-op];
                int n = ring.read(dst, 0, -op);
                assertEquals(Math.min(-op, model.size()), n);
                for (int j = 0; j < n; j++) {
                    assertEquals((byte) model.poll(), dst[j]);
                }
            }
            assertEquals(model.size(), ring.readable());
            assertEquals(capacity - model.size(), ring.free());
        }
    }

    @Property(tries = 200)
    void drainsToAChannelInOrderAsItsRoomAllows(@ForAll @IntRange(min = 1, max = 50) int capacity,
            @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 60) Integer> rooms) {
        ByteRing ring = new ByteRing(capacity);
        byte[] written = new byte[capacity];
        for (int i = 0; i < capacity; i++) {
            written[i] = (byte) (i * 7);
        }
        ring.read(new byte[capacity / 2], 0, capacity / 2); // nothing there yet: a no-op
        ring.write(written, 0, capacity / 3);
        ring.read(new byte[capacity / 3], 0, capacity / 3); // move the head so data wraps
        ring.write(written, 0, capacity);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int room : rooms) {
            drain(ring, new LimitedSink(room, out));
        }
        long generation = ring.generation();
        drain(ring, new LimitedSink(Integer.MAX_VALUE, out));
        assertEquals(generation, ring.generation());
        assertArrayEquals(written, out.toByteArray());
        assertEquals(0, ring.readable());
    }

    /** What the event loop does with the ring: offer contiguous segments until one is refused. */
    private static void drain(ByteRing ring, TcpChannel channel) {
        for (int length; (length = ring.firstSegment()) > 0; ) {
            int taken = channel.write(ring.view(ring.head(), length));
            ring.consume(taken);
            if (taken < length) {
                return;
            }
        }
    }

    @Property(tries = 50)
    void clearEmptiesAndBumpsTheGeneration(@ForAll @IntRange(min = 1, max = 40) int capacity,
            @ForAll @IntRange(min = 0, max = 40) int fill) {
        ByteRing ring = new ByteRing(capacity);
        ring.write(new byte[fill], 0, fill);
        long before = ring.generation();
        ring.clear();
        assertEquals(0, ring.readable());
        assertEquals(capacity, ring.free());
        assertEquals(before + 1, ring.generation());
    }

    /** A channel whose send buffer takes at most {@code room} bytes. */
    private static final class LimitedSink extends ScriptedChannelStub {
        private int room;
        private final java.io.ByteArrayOutputStream out;

        LimitedSink(int room, java.io.ByteArrayOutputStream out) {
            this.room = room;
            this.out = out;
        }

        @Override
        public int write(ByteBuf data) {
            int n = Math.min(room, data.readableBytes());
            byte[] bytes = new byte[n];
            data.readBytes(bytes);
            out.writeBytes(bytes);
            room -= n;
            return n;
        }
    }

    private abstract static class ScriptedChannelStub implements TcpChannel {
        @Override
        public ByteBuf read(int maxBytes) {
            return null;
        }

        @Override
        public int readableBytes() {
            return 0;
        }

        @Override
        public boolean isInputShutdown() {
            return false;
        }

        @Override
        public int writableBytes() {
            return 0;
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void close() {
        }

        @Override
        public void abort() {
        }

        @Override
        public String state() {
            return "ESTABLISHED";
        }

        @Override
        public int localAddress() {
            return 0;
        }

        @Override
        public int localPort() {
            return 0;
        }

        @Override
        public int remoteAddress() {
            return 0;
        }

        @Override
        public int remotePort() {
            return 0;
        }
    }
}
