package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TUN writer thread's queue, on a FIFO instead of a TUN device (write(2) is all it does, and a
 * FIFO lets the test hold the writer back): packets leave in the order offered, a full ring makes
 * the producer wait instead of dropping, the caller's buffers stay the caller's, and close writes
 * what is queued and releases the ring.
 */
class TunWriterTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final int PACKET = 1000;

    @Test
    void packetsLeaveInOrderAndAFullRingHoldsTheProducerBack(@TempDir Path dir) throws Exception {
        Path fifo = fifo(dir);
        int fd = Libc.open(fifo.toString(), Libc.O_RDWR | Libc.O_CLOEXEC); // O_RDWR: never waits for a reader
        assertTrue(fd >= 0, "open fifo: errno " + Libc.errno());
        int count = 300; // 300 KB: far more than the FIFO (64 KiB) and the ring (4 slots) hold
        // write(2) one by one: the test watches the writer block in it (io_uring would block the same
        // way, but holds a batch in flight, so the ring's fill level says less about who waits).
        TunWriter writer = new TunWriter(fd, "test", 0, 4, 1024, ALLOC, false);
        AtomicInteger offered = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                ByteBuf packet = ALLOC.directBuffer(PACKET);
                try {
                    for (int i = 0; i < count; i++) {
                        fill(packet.clear(), i);
                        assertTrue(writer.offer(0, packet, 0, PACKET));
                        offered.incrementAndGet();
                    }
                } finally {
                    packet.release();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "producer");
        try (InputStream in = Files.newInputStream(fifo)) {
            producer.start();
            // Nobody reads yet: the FIFO fills, the writer blocks in write(2), the ring fills, and the
            // producer waits in offer — backpressure, not drops.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(writer.queued() == 4 && waiting(producer)) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(4, writer.queued(), "the ring is full");
            // The tickets TCP's timers read (tcp.TransmitQueue): four offered packets have not left.
            assertEquals(4, writer.offered() - writer.departed());
            assertTrue(waiting(producer), "the producer waits for room: " + producer.getState());
            assertTrue(offered.get() < count, "offered " + offered.get());
            DataInputStream data = new DataInputStream(in);
            byte[] got = new byte[PACKET];
            byte[] want = new byte[PACKET];
            for (int i = 0; i < count; i++) {
                data.readFully(got);
                expected(want, i);
                assertArrayEquals(want, got, "packet " + i);
            }
            producer.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(producer.isAlive());
            if (failure.get() != null) {
                fail(failure.get());
            }
            assertEquals(count, offered.get());
            writer.drain(); // the last write's count lands just after its bytes
            assertTrue(writer.fullWaits() > 0, "the producer waited for the writer");
            assertEquals(count, writer.packetsWritten());
            assertEquals(count, writer.offered());
            assertEquals(count, writer.departed(), "every packet has left the ring");
            assertEquals((long) count * PACKET, writer.bytesWritten());
            assertEquals(0, writer.drops() + writer.errors());
        } finally {
            writer.close();
            Libc.close(fd);
        }
    }

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {false, true})
    void theCallerKeepsItsBufferAndCloseWritesWhatIsQueuedThenReleasesTheRing(boolean batched, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("out");
        Files.createFile(file);
        int fd = Libc.open(file.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
        assertTrue(fd >= 0, "open: errno " + Libc.errno());
        Memory header = new Memory(TunDevice.VNET_HEADER_LENGTH);
        for (int i = 0; i < TunDevice.VNET_HEADER_LENGTH; i++) {
            header.setByte(i, (byte) (0xa0 + i));
        }
        TunWriter writer = new TunWriter(fd, "test", TunDevice.VNET_HEADER_LENGTH, 8, 1024 + 64, ALLOC, batched);
        assertEquals(batched, writer.batched(), "io_uring available (kernel.io_uring_disabled = 0 here)");
        ByteBuf packet = ALLOC.directBuffer(PACKET);
        try {
            for (int i = 0; i < 50; i++) {
                fill(packet.clear(), i);
                assertTrue(writer.offer(Pointer.nativeValue(header), packet, 0, PACKET));
                // The packet was copied: the caller's buffer is still its own, unchanged in count.
                assertEquals(1, packet.refCnt());
            }
        } finally {
            packet.release();
            writer.close();
            Libc.close(fd);
        }
        assertTrue(writer.ringReleased(), "close releases the ring");
        assertFalse(writer.offer(0, packet, 0, 0), "nothing is taken after close");
        byte[] written = Files.readAllBytes(file);
        int record = TunDevice.VNET_HEADER_LENGTH + PACKET;
        assertEquals(50 * record, written.length, "close wrote every queued packet");
        byte[] want = new byte[PACKET];
        for (int i = 0; i < 50; i++) {
            for (int h = 0; h < TunDevice.VNET_HEADER_LENGTH; h++) {
                assertEquals((byte) (0xa0 + h), written[i * record + h], "header byte " + h + " of packet " + i);
            }
            expected(want, i);
            byte[] got = new byte[PACKET];
            System.arraycopy(written, i * record + TunDevice.VNET_HEADER_LENGTH, got, 0, PACKET);
            assertArrayEquals(want, got, "packet " + i);
        }
        assertEquals(50, writer.packetsWritten());
        assertEquals(50L * PACKET, writer.bytesWritten(), "header bytes are not counted");
    }

    @Test
    void aWriterWithNothingLeftToWriteSleepsAndOneOfferedPacketWakesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out");
        Files.createFile(file);
        int fd = Libc.open(file.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
        assertTrue(fd >= 0, "open: errno " + Libc.errno());
        TunWriter writer = new TunWriter(fd, "test", 0, 4, 1024, ALLOC);
        ByteBuf packet = ALLOC.directBuffer(PACKET);
        try {
            // Idle: after its spins the writer parks — the device then writes a lone answer itself.
            awaitAsleep(writer);
            fill(packet.clear(), 7);
            assertTrue(writer.offer(0, packet, 0, PACKET));
            // The offer woke it: it writes the packet, then sleeps again.
            awaitAsleep(writer);
            assertEquals(1, writer.packetsWritten(), "the offered packet was written before the writer slept again");
        } finally {
            packet.release();
            writer.close();
            Libc.close(fd);
        }
        assertEquals(PACKET, Files.size(file));
    }

    private static void awaitAsleep(TunWriter writer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!writer.asleep() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(writer.asleep(), "the writer sleeps with an empty ring");
    }

    private static boolean waiting(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.TIMED_WAITING || s == Thread.State.WAITING;
    }

    private static void fill(ByteBuf buf, int n) {
        for (int j = 0; j < PACKET; j++) {
            buf.writeByte(n * 31 + j);
        }
    }

    private static void expected(byte[] out, int n) {
        for (int j = 0; j < PACKET; j++) {
            out[j] = (byte) (n * 31 + j);
        }
    }

    private static Path fifo(Path dir) throws IOException, InterruptedException {
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo");
        return fifo;
    }
}
