package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WireTcpOutput} builds the next packet in the previous one's memory when the sink released it
 * (a TUN device writes at once), never when the sink still holds it (a simulated link queues it), and
 * every packet carries exactly the segment it was built from.
 */
class WireTcpOutputReuseTest {
    private ResourceLeakDetector.Level level;

    @BeforeEach
    void reuseNeedsLeakTrackingOff() {
        level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(level);
    }

    private static Segment segment(int seq, ByteBuf data) {
        Segment s = new Segment();
        s.sourceAddress = 0x0A000001;
        s.destinationAddress = 0x0A000002;
        s.sourcePort = 80;
        s.destinationPort = 40000;
        s.seq = seq;
        s.flags = Segment.ACK;
        s.window = 1000;
        s.data = data;
        s.dataIndex = data.readerIndex();
        s.dataLength = data.readableBytes();
        return s;
    }

    @Test
    void aSinkThatWritesAtOnceGetsTheSameMemoryEveryTime() {
        List<ByteBuf> seen = new ArrayList<>();
        List<Integer> seqs = new ArrayList<>();
        WireTcpOutput out = new WireTcpOutput(PooledByteBufAllocator.DEFAULT, packet -> {
            seen.add(packet);
            seqs.add(packet.getInt(packet.readerIndex() + 20 + 4)); // TCP sequence number
            assertEquals(2, packet.refCnt(), "the sink holds one reference, the output the other");
            packet.release();
        });
        ByteBuf data = Unpooled.wrappedBuffer(new byte[1400]);
        for (int i = 0; i < 5; i++) {
            out.send(segment(1000 * i, data));
        }
        out.send(segment(7, Unpooled.EMPTY_BUFFER)); // a pure ACK fits the same buffer
        assertEquals(List.of(0, 1000, 2000, 3000, 4000, 7), seqs);
        for (ByteBuf b : seen) {
            assertSame(seen.get(0), b);
        }
        assertEquals(1, seen.get(0).refCnt());
        out.close();
        assertEquals(0, seen.get(0).refCnt(), "close releases the kept buffer");
    }

    @Test
    void aPacketTheSinkStillHoldsIsNeverBuiltIntoAndIsReusedOnceItLetsGo() {
        List<ByteBuf> kept = new ArrayList<>();
        WireTcpOutput out = new WireTcpOutput(PooledByteBufAllocator.DEFAULT, kept::add);
        ByteBuf data = Unpooled.wrappedBuffer(new byte[100]);
        out.send(segment(1, data));
        out.send(segment(2, data));
        assertNotSame(kept.get(0), kept.get(1), "a held packet's memory is not built into");
        for (ByteBuf b : kept) {
            assertEquals(2, b.refCnt(), "the sink's reference and the output's, kept for reuse");
            assertEquals(20 + 20 + 100, b.readableBytes());
        }
        assertEquals(1, kept.get(0).getInt(24));
        assertEquals(2, kept.get(1).getInt(24));

        kept.get(1).release(); // the sink lets go of the second only
        out.send(segment(3, data)); // the first is still held (moves to the back), so a fresh one
        assertNotSame(kept.get(0), kept.get(2));
        assertNotSame(kept.get(1), kept.get(2));
        assertEquals(1, kept.get(0).getInt(24), "bytes the sink holds never change");
        out.send(segment(4, data)); // the second is free again: built into
        assertSame(kept.get(1), kept.get(3));
        assertEquals(4, kept.get(3).getInt(24));

        kept.get(0).release();
        kept.get(2).release();
        kept.get(3).release();
        out.close();
        for (ByteBuf b : kept) {
            assertEquals(0, b.refCnt(), "close releases the output's references");
        }
    }
}
