package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.wire.SeqNum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 7 item 4: the receive side reassembles the exact stream whatever the order of arrival, with
 * duplicates and segments that overlap others, through a receive buffer smaller than the stream (so
 * the ring wraps and the window limits what is acceptable, as {@link ReceiveText} does) while the
 * reader takes random amounts; the sequence space starts anywhere (across the 2^32 wrap). Afterwards
 * nothing is held and the layer-wide out-of-order accounting is back at zero.
 */
class OutOfOrderQueueProperties {
    private static final UnpooledByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);

    /** An arrival: octets [offset, offset + length) of the stream. */
    record Piece(int offset, int length) {
    }

    @Property(tries = 150)
    void anyArrivalOrderReassemblesTheExactStream(@ForAll long seed,
                                                  @ForAll int isn,
                                                  @ForAll @IntRange(min = 1, max = 40_000) int streamLength,
                                                  @ForAll @IntRange(min = 1, max = 3000) int maxSegment,
                                                  @ForAll @IntRange(min = 1024, max = 65_536) int bufferSize) {
        Random random = new Random(seed);
        byte[] stream = new byte[streamLength];
        random.nextBytes(stream);
        ByteBuf source = Unpooled.wrappedBuffer(stream);

        // Cut the stream into segments, add duplicates and pieces that overlap several segments.
        List<Piece> arrivals = new ArrayList<>();
        for (int at = 0; at < streamLength; ) {
            int length = Math.min(1 + random.nextInt(maxSegment), streamLength - at);
            arrivals.add(new Piece(at, length));
            if (random.nextInt(5) == 0) {
                arrivals.add(new Piece(at, length)); // duplicate
            }
            at += length;
        }
        for (int i = random.nextInt(1 + streamLength / 500); i > 0; i--) {
            int from = random.nextInt(streamLength);
            arrivals.add(new Piece(from, 1 + random.nextInt(Math.min(streamLength - from, 2 * maxSegment))));
        }
        Collections.shuffle(arrivals, random);

        ResourceLimits limits = new ResourceLimits(new TcpConfig());
        OutOfOrderQueue queue = new OutOfOrderQueue(limits, Integer.MAX_VALUE);
        ReceiveBuffer buffer = new ReceiveBuffer(bufferSize);
        ByteBuf delivered = Unpooled.buffer(streamLength);
        int rcvNxt = isn;
        ArrayDeque<Piece> pending = new ArrayDeque<>(arrivals);
        int rounds = 0;
        while (rcvNxt != isn + streamLength) {
            assertTrue(++rounds < 20_000_000, "no progress");
            Piece p = pending.poll();
            if (p == null) {
                // Everything arrived once; the peer retransmits what was outside the window then.
                pending.addAll(arrivals);
                continue;
            }
            int seq = isn + p.offset;
            int end = seq + p.length;
            int free = buffer.free();
            boolean clipped = false;
            if (SeqNum.le(end, rcvNxt)) {
                // old duplicate: nothing to take
            } else if (SeqNum.le(seq, rcvNxt)) {
                int skip = rcvNxt - seq;
                int fresh = Math.min(p.length - skip, free);
                clipped = fresh < p.length - skip;
                rcvNxt += buffer.append(source, p.offset + skip, fresh);
                rcvNxt = queue.advance(buffer, rcvNxt);
            } else {
                long gap = SeqNum.distance(rcvNxt, seq);
                int inWindow = (int) Math.max(0, Math.min(p.length, free - gap));
                clipped = inWindow < p.length;
                if (inWindow > 0) {
                    OutOfOrderQueue.Refusal refusal = queue.insert(buffer, source, p.offset, rcvNxt, seq, inWindow);
                    if (refusal != OutOfOrderQueue.Refusal.NONE) {
                        // tiny segments in random order may open more gaps than the queue keeps
                        assertEquals(OutOfOrderQueue.Refusal.TOO_MANY_RUNS, refusal);
                        clipped = true;
                    }
                }
            }
            if (clipped) {
                pending.add(p); // sent again later
            }
            assertEquals(queue.bytes(), limits.outOfOrderHeld(), "layer accounting matches the queue");
            // the reader takes a random amount (sometimes nothing)
            ByteBuf read = buffer.read(random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(2 * maxSegment), HEAP);
            if (read != null) {
                delivered.writeBytes(read);
                read.release();
            }
        }
        ByteBuf rest = buffer.read(Integer.MAX_VALUE, HEAP);
        if (rest != null) {
            delivered.writeBytes(rest);
            rest.release();
        }
        byte[] got = new byte[delivered.readableBytes()];
        delivered.readBytes(got);
        assertArrayEquals(stream, got, "the exact stream");
        assertTrue(queue.isEmpty(), "nothing held");
        assertEquals(0, queue.bytes());
        assertEquals(0, limits.outOfOrderHeld(), "layer accounting back at zero");
    }

    @Property(tries = 200)
    void boundsRefuseNewDataAndKeepWhatIsHeld(@ForAll long seed,
                                              @ForAll @IntRange(min = 0, max = 20_000) int perConnection,
                                              @ForAll @IntRange(min = 0, max = 30_000) int total) {
        Random random = new Random(seed);
        byte[] data = new byte[70_000];
        ByteBuf source = Unpooled.wrappedBuffer(data);
        ResourceLimits limits = new ResourceLimits(new TcpConfig().outOfOrderMemoryLimit(total));
        OutOfOrderQueue a = new OutOfOrderQueue(limits, perConnection);
        OutOfOrderQueue b = new OutOfOrderQueue(limits, perConnection);
        ReceiveBuffer bufA = new ReceiveBuffer(70_000);
        ReceiveBuffer bufB = new ReceiveBuffer(70_000);
        for (int i = 0; i < 200; i++) {
            boolean first = random.nextBoolean();
            OutOfOrderQueue q = first ? a : b;
            int seq = 1 + random.nextInt(60_000);
            int length = 1 + random.nextInt(1500);
            int heldBefore = q.bytes();
            long layerBefore = limits.outOfOrderHeld();
            OutOfOrderQueue.Refusal refusal = q.insert(first ? bufA : bufB, source, seq, 0, seq, length);
            assertTrue(q.bytes() <= perConnection, "per-connection bound");
            assertTrue(limits.outOfOrderHeld() <= total, "layer-wide bound");
            assertTrue(q.runs() <= OutOfOrderQueue.MAX_RUNS, "run bound");
            if (refusal != OutOfOrderQueue.Refusal.NONE) {
                assertEquals(heldBefore, q.bytes(), "a refused segment changes nothing held");
                assertEquals(layerBefore, limits.outOfOrderHeld());
            }
            assertEquals(a.bytes() + b.bytes(), limits.outOfOrderHeld());
        }
        a.clear();
        assertEquals(b.bytes(), limits.outOfOrderHeld());
        b.clear();
        assertEquals(0, limits.outOfOrderHeld());
    }
}
