package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
}
