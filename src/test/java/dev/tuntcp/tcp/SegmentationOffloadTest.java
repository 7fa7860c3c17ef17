package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Impairment;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * TCP segmentation offload end to end on SimLink: both TCPs send super-segments of several MSS
 * ({@link SegmentationOffload}); the link's sink cuts them in software exactly as the kernel would
 * (PacketSink's default {@code sendSegmented}), so the receiver checks every wire segment's
 * checksum, sequence number and the MSS it advertised (SimLink drops anything above its 1500-byte
 * MTU). The streams must arrive byte-exact, clean or impaired.
 */
class SegmentationOffloadTest {
    private static final int PORT = 80;
    private static final long MB = 1 << 20;
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private static TcpConfig offloading() {
        return TestAllocator.config().segmentationOffload(65535);
    }

    @Test
    void superSegmentsCarryBothStreamsByteExactOnACleanLink() {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        try (WirePair pair = new WirePair(offloading(), new Impairment(0, 0, 0, TimeUnit.MILLISECONDS.toNanos(2), 0, 1), alloc)) {
            StreamPeer client = new StreamPeer("client", 4 * MB, StreamPeer.Start.ON_OPEN, true, 1);
            StreamPeer server = new StreamPeer("server", 4 * MB + 3, StreamPeer.Start.ON_OPEN, true, 2);
            pair.exchangeByteExact(client, server, PORT, 10 * MINUTE);
            for (Counters c : new Counters[] {pair.countersA, pair.countersB}) {
                assertTrue(c.get(TcpStat.SUPER_SEGMENTS_OUT) > 0, "super-segments were built: " + c.snapshot());
                assertEquals(0, c.get(TcpStat.RETRANSMITS));
                assertEquals(0, c.get(TcpDrop.BAD_CHECKSUM));
            }
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), "direct packet memory leaked");
    }

    @Test
    void superSegmentsSurviveLossReorderingAndCorruption() {
        Impairment impairment = new Impairment(0.02, 0.01, 0.02, TimeUnit.MILLISECONDS.toNanos(1), 0.01, 11);
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        try (WirePair pair = new WirePair(offloading(), impairment, alloc)) {
            StreamPeer client = new StreamPeer("client", MB, StreamPeer.Start.ON_OPEN, true, 5);
            StreamPeer server = new StreamPeer("server", MB / 2, StreamPeer.Start.AFTER_PEER_FIN, true, 6);
            pair.exchangeByteExact(client, server, PORT, 120 * MINUTE);
            assertTrue(pair.countersA.get(TcpStat.SUPER_SEGMENTS_OUT) > 0);
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), "direct packet memory leaked");
    }

    @Test
    void withoutOffloadNoSuperSegment() {
        try (WirePair pair = new WirePair(TestAllocator.config(), Impairment.NONE)) {
            StreamPeer client = new StreamPeer("client", MB, StreamPeer.Start.ON_OPEN, true, 3);
            StreamPeer server = new StreamPeer("server", MB, StreamPeer.Start.ON_OPEN, true, 4);
            pair.exchangeByteExact(client, server, PORT, 10 * MINUTE);
            assertEquals(0, pair.countersA.get(TcpStat.SUPER_SEGMENTS_OUT));
            assertEquals(0, pair.countersB.get(TcpStat.SUPER_SEGMENTS_OUT));
        }
    }
}
