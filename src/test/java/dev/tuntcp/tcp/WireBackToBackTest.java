package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.ImpairedPath;
import dev.tuntcp.link.Impairment;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.wire.ParseError;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two stacks on SimLink with real packets: checksums, options and parsing in the loop, the link's
 * seeded impairment (loss, duplication, reordering, corruption) in the way.
 */
class WireBackToBackTest {
    private static final int PORT = 80;
    private static final long MB = 1 << 20;
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private static long drops(Counters c) {
        long n = 0;
        for (TcpDrop d : TcpDrop.values()) {
            n += c.get(d);
        }
        return n;
    }

    /** Byte-exact both ways, clean closes, and after TIME-WAIT no connection is left on either side. */
    private static void transfer(WirePair pair, StreamPeer client, StreamPeer server, long limit) {
        pair.exchangeByteExact(client, server, PORT, limit);
        pair.runFor(2 * MINUTE);
        assertEquals(0, pair.a.connectionCount());
        assertEquals(0, pair.b.connectionCount());
    }

    /** Unpooled, leak detector off, memory counted: see {@link WirePair}. */
    private static UnpooledByteBufAllocator countingAllocator() {
        return new UnpooledByteBufAllocator(false, true);
    }

    private static void assertAllPacketMemoryReturned(UnpooledByteBufAllocator alloc) {
        assertEquals(0, alloc.metric().usedDirectMemory(), "direct packet memory leaked");
        assertEquals(0, alloc.metric().usedHeapMemory(), "heap packet memory leaked");
    }

    @Test
    void cleanLinkMovesMegabytesBothWaysWithoutARetransmission() {
        UnpooledByteBufAllocator alloc = countingAllocator();
        try (WirePair pair = new WirePair(TestAllocator.config(), new Impairment(0, 0, 0, TimeUnit.MILLISECONDS.toNanos(2), 0, 1), alloc)) {
            StreamPeer client = new StreamPeer("client", 4 * MB, StreamPeer.Start.ON_OPEN, true, 1);
            StreamPeer server = new StreamPeer("server", 4 * MB + 3, StreamPeer.Start.ON_OPEN, true, 2);
            transfer(pair, client, server, 10 * MINUTE);
            for (Counters c : new Counters[] {pair.countersA, pair.countersB}) {
                assertEquals(0, c.get(TcpStat.RETRANSMITS));
                assertEquals(0, drops(c), c.snapshot().toString());
            }
        }
        assertAllPacketMemoryReturned(alloc);
    }

    @Test
    void closedPortIsRefusedAtOnce() {
        try (WirePair pair = new WirePair(TestAllocator.config(), Impairment.NONE)) {
            StreamPeer client = new StreamPeer("client", 0, StreamPeer.Start.ON_OPEN, true, 3);
            pair.a.connect(WirePair.ADDRESS_A, WirePair.ADDRESS_B, 81, client);
            pair.runUntil(() -> client.closed != null, TimeUnit.SECONDS.toNanos(1));
            assertEquals(CloseReason.REFUSED, client.closed);
            assertEquals(1, pair.countersB.get(TcpDrop.CLOSED_PORT));
            assertEquals(0, pair.countersA.get(TcpStat.RETRANSMITS));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void survivesLossDuplicationReorderingAndCorruption(long seed) {
        Impairment impairment = new Impairment(0.02, 0.01, 0.02, TimeUnit.MILLISECONDS.toNanos(1), 0.01, seed);
        UnpooledByteBufAllocator alloc = countingAllocator();
        try (WirePair pair = new WirePair(TestAllocator.config(), impairment, alloc)) {
            StreamPeer client = new StreamPeer("client", MB, StreamPeer.Start.ON_OPEN, true, seed);
            StreamPeer server = new StreamPeer("server", MB / 2, StreamPeer.Start.AFTER_PEER_FIN, true, seed + 1);
            transfer(pair, client, server, 120 * MINUTE);
            long corrupted = pair.link.aToB().count(ImpairedPath.Event.CORRUPTED) + pair.link.bToA().count(ImpairedPath.Event.CORRUPTED);
            assertTrue(corrupted > 0, "the link corrupted packets");
            long caught = pair.countersA.get(TcpDrop.BAD_CHECKSUM) + pair.countersB.get(TcpDrop.BAD_CHECKSUM)
                    + pair.countersA.get(ParseError.IPV4_BAD_CHECKSUM) + pair.countersB.get(ParseError.IPV4_BAD_CHECKSUM)
                    + pair.countersA.get(TcpDrop.MALFORMED) + pair.countersB.get(TcpDrop.MALFORMED);
            assertTrue(caught > 0, "corruption was caught by a checksum");
        }
        assertAllPacketMemoryReturned(alloc);
    }
}
