package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The rings under the send and receive buffers are FIFOs that wrap without losing a byte. */
class ByteRingProperties {

    @Property(tries = 300)
    void receiveBufferIsAFifo(@ForAll @IntRange(min = 1, max = 300) int capacity,
                              @ForAll @Size(max = 200) List<@IntRange(min = -150, max = 150) Integer> ops) {
        ReceiveBuffer buffer = new ReceiveBuffer(capacity);
        ArrayDeque<Byte> model = new ArrayDeque<>();
        int next = 0;
        for (int op : ops) {
            if (op >= 0) {
                ByteBuf src = Unpooled.buffer(op + 3);
                src.writerIndex(3);
                for (int i = 0; i < op; i++) {
                    src.writeByte(next + i);
                }
                int n = buffer.append(src, 3, op);
                assertEquals(Math.min(op, capacity - model.size()), n);
                for (int i = 0; i < n; i++) {
                    model.add((byte) (next + i));
                }
                next += n;
                src.release();
            } else {
                ByteBuf out = buffer.read(-op, UnpooledByteBufAllocator.DEFAULT);
                int want = Math.min(-op, model.size());
                assertEquals(want, out == null ? 0 : out.readableBytes());
                for (int i = 0; i < want; i++) {
                    assertEquals((byte) model.poll(), out.readByte());
                }
                if (out != null) {
                    out.release();
                }
            }
            assertEquals(model.size(), buffer.size());
            assertEquals(capacity - model.size(), buffer.free());
        }
    }

    @Property(tries = 300)
    void sendBufferServesAnyRangeBySequenceNumber(@ForAll int firstSeq,
                                                  @ForAll @IntRange(min = 1, max = 200) int capacity,
                                                  @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 120) Integer> writes,
                                                  @ForAll @IntRange(min = 1, max = 50) int segment) {
        SendBuffer buffer = new SendBuffer(capacity);
        buffer.start(firstSeq);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        long acked = 0;
        int counter = 0;
        for (int w : writes) {
            ByteBuf src = Unpooled.buffer(w);
            for (int i = 0; i < w; i++) {
                src.writeByte(counter + i);
            }
            int n = buffer.write(src);
            assertEquals(Math.min(w, capacity - buffer.size() + n), n);
            assertEquals(w - n, src.readableBytes());
            for (int i = 0; i < n; i++) {
                stream.write(counter + i);
            }
            counter += n;
            src.release();
            // read everything held in segments, as output would
            byte[] all = stream.toByteArray();
            Segment out = new Segment();
            int seq = buffer.headSeq();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            while (true) {
                int len = buffer.fill(out, seq, segment);
                if (len == 0) {
                    break;
                }
                byte[] chunk = new byte[len];
                out.data.getBytes(out.dataIndex, chunk);
                seen.writeBytes(chunk);
                seq += len;
            }
            byte[] held = java.util.Arrays.copyOfRange(all, (int) acked, all.length);
            assertArrayEquals(held, seen.toByteArray());
            assertEquals(buffer.endSeq(), seq);
            // acknowledge half of what is held
            int ack = buffer.size() / 2;
            buffer.acknowledge(buffer.headSeq() + ack);
            acked += ack;
        }
    }

    /**
     * Contents, data written ahead of them (the receiver's out-of-order octets), commits, reads and
     * capacity raises, against a model indexed by logical offset: no byte is lost or moved while the
     * array behind the ring grows underneath.
     */
    @Property(tries = 500)
    void writtenAheadDataSurvivesEveryGrowth(@ForAll @IntRange(min = 1, max = 20_000) int capacity,
                                             @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 4) Integer> kinds,
                                             @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 9000) Integer> amounts) {
        ByteRing ring = new ByteRing(capacity);
        // absolute position (base + logical offset) → byte; absent = never written
        java.util.Map<Long, Integer> model = new java.util.HashMap<>();
        long base = 0;
        int size = 0;
        int limit = capacity;
        int counter = 0;
        int maxExtent = 0;
        for (int i = 0; i < Math.min(kinds.size(), amounts.size()); i++) {
            int amount = amounts.get(i);
            switch (kinds.get(i)) {
                case 0 -> { // append at the end of the contents
                    ByteBuf src = counting(counter, amount);
                    int n = ring.write(src, 0, amount);
                    assertEquals(Math.min(amount, limit - size), n);
                    for (int k = 0; k < n; k++) {
                        model.put(base + size + k, (counter + k) & 0xff);
                    }
                    counter += n;
                    size += n;
                    maxExtent = Math.max(maxExtent, size);
                    src.release();
                }
                case 1 -> { // write ahead with a gap
                    int gap = amount % 700;
                    int length = amount / 3;
                    ByteBuf src = counting(counter, length);
                    int n = ring.writeAhead(gap, src, 0, length);
                    assertEquals(Math.max(0, Math.min(length, limit - size - gap)), n);
                    for (int k = 0; k < n; k++) {
                        model.put(base + size + gap + k, (counter + k) & 0xff);
                    }
                    counter += n;
                    if (n > 0) {
                        maxExtent = Math.max(maxExtent, size + gap + n);
                    }
                    src.release();
                }
                case 2 -> { // commit what was written right after the contents
                    int written = 0;
                    while (size + written < limit && model.containsKey(base + size + written)) {
                        written++;
                    }
                    int n = ring.commit(Math.min(amount, written));
                    assertEquals(Math.min(amount, written), n);
                    size += n;
                }
                case 3 -> { // read from the front, keeping what lies ahead in place
                    int n = Math.min(amount, size);
                    ByteBuf out = Unpooled.buffer(Math.max(n, 1));
                    ring.copyTo(0, n, out);
                    for (int k = 0; k < n; k++) {
                        assertEquals((int) model.remove(base + k), out.readUnsignedByte(), "byte " + k);
                    }
                    out.release();
                    ring.discardInPlace(n);
                    base += n;
                    size -= n;
                }
                default -> { // autotuning raises the capacity
                    limit += amount / 4;
                    ring.grow(limit);
                }
            }
            assertEquals(size, ring.size());
            assertEquals(limit - size, ring.free());
            assertTrue(ring.arrayLength() <= limit, "the array never exceeds the capacity");
            int extent = maxExtent;
            assertTrue(ring.arrayLength() <= Math.max(ByteRing.INITIAL_ARRAY, 2 * extent),
                    () -> "array " + ring.arrayLength() + " for an extent of at most " + extent);
        }
        // Everything in order, contiguously as the sender reads it.
        ByteBuf all = Unpooled.buffer(Math.max(size, 1));
        ring.copyTo(0, size, all);
        for (int k = 0; k < size; k++) {
            assertEquals((int) model.get(base + k), all.readUnsignedByte());
        }
        all.release();
    }

    /**
     * A connection that carries one short request costs a small array, not the whole buffer size
     * (each connection had allocated and zeroed 2 × 256 KiB: most of the CPU time of a short
     * connection, docs/benchmarks.md issue 9 "connections per second"); a bulk writer gets the full
     * size at once.
     */
    @Test
    void arrayFollowsTheDataNotTheCapacity() {
        ByteRing ring = new ByteRing(256 * 1024);
        assertEquals(0, ring.arrayLength(), "no array before the first byte");
        ByteBuf request = counting(0, 32);
        ring.write(request, 0, 32);
        assertEquals(ByteRing.INITIAL_ARRAY, ring.arrayLength());
        ByteBuf chunk = counting(0, 64 * 1024);
        ring.write(chunk, 0, 64 * 1024);
        assertEquals(128 * 1024, ring.arrayLength(), "doubled past the extent needed (65568 bytes)");
        ring.write(chunk, 0, 64 * 1024);
        ring.write(chunk, 0, 64 * 1024);
        ring.write(chunk, 0, 64 * 1024);
        assertEquals(256 * 1024, ring.arrayLength(), "never past the capacity");
        assertEquals(256 * 1024, ring.size());
        request.release();
        chunk.release();
    }

    private static ByteBuf counting(int from, int length) {
        ByteBuf b = Unpooled.buffer(Math.max(length, 1));
        for (int i = 0; i < length; i++) {
            b.writeByte(from + i);
        }
        return b;
    }
}
