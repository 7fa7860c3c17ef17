package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Impairment;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.tcp.cc.CongestionAlgorithm;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 7's transfer: 64 MiB each way at once between two stacks on SimLink in virtual time, through
 * loss 5%, duplication 1%, reordering 2% and corruption 1% in both directions, for each congestion
 * control. Byte-exact (SHA-256), cleanly closed, and every recovery path was taken: fast
 * retransmits, RTO expiries, and SACK recoveries once the receiver sends SACK blocks. Prints the
 * goodput in virtual time (docs/benchmarks.md, "issue 7").
 *
 * <p>The size can be lowered for a quick run with {@code -Dtuntcp.lossyMiB=N}.
 */
class LossyTransferTest {
    private static final int PORT = 80;
    private static final long MIB = 1 << 20;
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** Counts the SACK blocks one side sends (present once both sides negotiate SACK). */
    private static final class SackBlocksSent implements TcpTraceListener {
        long blocks;

        @Override
        public void segmentOut(long nanos, Connection connection, Segment segment, TcpState state) {
            blocks += segment.sackBlockCount;
        }
    }

    @ParameterizedTest
    @EnumSource(CongestionAlgorithm.class)
    void sixtyFourMebibytesEachWayUnderLossDuplicationReorderingAndCorruption(CongestionAlgorithm algorithm) {
        long size = Long.getLong("tuntcp.lossyMiB", 64) * MIB;
        Impairment impairment = new Impairment(0.05, 0.01, 0.02, TimeUnit.MILLISECONDS.toNanos(5), 0.01, 7);
        TcpConfig config = TestAllocator.config().congestionControl(algorithm);
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        long wallStart = System.nanoTime();
        try (WirePair pair = new WirePair(config, impairment, alloc)) {
            SackBlocksSent sacksFromA = new SackBlocksSent();
            SackBlocksSent sacksFromB = new SackBlocksSent();
            pair.a.setTraceListener(sacksFromA);
            pair.b.setTraceListener(sacksFromB);
            StreamPeer client = new StreamPeer("client", size, StreamPeer.Start.ON_OPEN, true, 71);
            StreamPeer server = new StreamPeer("server", size + 13, StreamPeer.Start.ON_OPEN, true, 72);
            pair.b.listen(WirePair.ADDRESS_B, PORT, () -> server);
            pair.a.connect(WirePair.ADDRESS_A, WirePair.ADDRESS_B, PORT, client);
            long start = pair.clock.nanos();
            pair.runUntil(() -> client.closed != null && server.closed != null, 600 * MINUTE);
            double seconds = (pair.clock.nanos() - start) / 1e9;

            assertEquals(client.sent, server.received, "client → server bytes");
            assertEquals(server.sent, client.received, "server → client bytes");
            assertEquals(size, client.sent);
            assertArrayEquals(client.sentHash(), server.receivedHash(), "client → server SHA-256");
            assertArrayEquals(server.sentHash(), client.receivedHash(), "server → client SHA-256");
            assertEquals(CloseReason.CLOSED, client.closed);
            assertEquals(CloseReason.CLOSED, server.closed);

            for (Counters c : new Counters[] {pair.countersA, pair.countersB}) {
                assertTrue(c.get(TcpStat.FAST_RETRANSMITS) > 0, "fast retransmits: " + c.snapshot());
                assertTrue(c.get(TcpStat.RETRANSMIT_TIMEOUTS) > 0, "RTO expiries: " + c.snapshot());
                assertTrue(c.get(TcpStat.LIMITED_TRANSMITS) > 0, "limited transmit: " + c.snapshot());
                assertEquals(0, c.get(TcpStat.TIMED_OUT), "no connection gave up");
            }
            // RACK (RFC 8985) is on whenever SACK is negotiated: time-based loss marks on both sides;
            // with SACK blocks flowing, lost retransmissions and the reordering timer too. (Tail loss
            // probes are rare once RACK sees SACKs; LossRecoveryScriptTest reaches each TLP path.)
            for (Counters c : new Counters[] {pair.countersA, pair.countersB}) {
                assertTrue(c.get(TcpStat.RACK_LOSSES) > 0, "RACK losses: " + c.snapshot());
            }
            if (sacksFromB.blocks > 0) {
                assertTrue(pair.countersA.get(TcpStat.SACK_RECOVERIES) > 0, "SACK recoveries at A");
                assertTrue(pair.countersA.get(TcpStat.LOST_RETRANSMITS) > 0, "lost retransmissions found at A");
                assertTrue(pair.countersA.get(TcpStat.RACK_REORDER_TIMEOUTS) > 0, "reordering timer at A");
            }
            if (sacksFromA.blocks > 0) {
                assertTrue(pair.countersB.get(TcpStat.SACK_RECOVERIES) > 0, "SACK recoveries at B");
                assertTrue(pair.countersB.get(TcpStat.LOST_RETRANSMITS) > 0, "lost retransmissions found at B");
                assertTrue(pair.countersB.get(TcpStat.RACK_REORDER_TIMEOUTS) > 0, "reordering timer at B");
            }
            double goodput = 2.0 * size * 8 / seconds / 1e6;
            System.out.printf(Locale.ROOT,
                    "issue7 %s: %d MiB each way in %.1f virtual s (%.2f Mbit/s both ways), wall %.1f s;"
                            + " A: fast %d sack %d rto %d retx %d spurious %d; B: fast %d sack %d rto %d retx %d spurious %d%n"
                            + "  rack A %s%n  rack B %s%n",
                    algorithm.cliName(), size / MIB, seconds, goodput, (System.nanoTime() - wallStart) / 1e9,
                    pair.countersA.get(TcpStat.FAST_RETRANSMITS), pair.countersA.get(TcpStat.SACK_RECOVERIES),
                    pair.countersA.get(TcpStat.RETRANSMIT_TIMEOUTS), pair.countersA.get(TcpStat.RETRANSMITS),
                    pair.countersA.get(TcpStat.SPURIOUS_RTOS),
                    pair.countersB.get(TcpStat.FAST_RETRANSMITS), pair.countersB.get(TcpStat.SACK_RECOVERIES),
                    pair.countersB.get(TcpStat.RETRANSMIT_TIMEOUTS), pair.countersB.get(TcpStat.RETRANSMITS),
                    pair.countersB.get(TcpStat.SPURIOUS_RTOS), rackCounters(pair.countersA),
                    rackCounters(pair.countersB));
            pair.runFor(2 * MINUTE);
            assertEquals(0, pair.a.connectionCount());
            assertEquals(0, pair.b.connectionCount());
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), "packet memory leaked");
        assertEquals(0, alloc.metric().usedHeapMemory(), "packet memory leaked");
    }

    private static String rackCounters(Counters c) {
        return String.format(Locale.ROOT, "rack losses %d (lost retransmissions %d, reorder timeouts %d),"
                        + " TLP probes %d (recoveries %d), D-SACKs %d, undos %d",
                c.get(TcpStat.RACK_LOSSES), c.get(TcpStat.LOST_RETRANSMITS), c.get(TcpStat.RACK_REORDER_TIMEOUTS),
                c.get(TcpStat.TLP_PROBES), c.get(TcpStat.TLP_RECOVERIES), c.get(TcpStat.DSACKS_RECEIVED),
                c.get(TcpStat.SPURIOUS_UNDOS));
    }
}
