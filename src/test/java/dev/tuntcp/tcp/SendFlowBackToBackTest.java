package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Impairment;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.socket.KeepAlive;
import dev.tuntcp.testing.Rfc9293;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Two stacks on SimLink in virtual time, real packets: a reader that stalls shuts the window, the
 * sender's persist timer probes it with backoff, and the stream resumes byte-exact — with and without
 * loss, duplication, reordering and corruption in the way (so window updates and probes get lost too).
 */
class SendFlowBackToBackTest {
    private static final int PORT = 80;
    private static final long MB = 1 << 20;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** Times at which the client's persist timer fired. */
    private static final class PersistTimes implements TcpTraceListener {
        final List<Long> fired = new ArrayList<>();

        @Override
        public void timerFired(long nanos, Connection connection, TcpTimerKind kind) {
            if (kind == TcpTimerKind.PERSIST) {
                fired.add(nanos);
            }
        }
    }

    @ParameterizedTest(name = "impairment {0}")
    @ValueSource(strings = {"delay=2ms,seed=1", "loss=0.03,dup=0.01,reorder=0.02,delay=2ms,corrupt=0.01,seed=5",
            "loss=0.03,dup=0.01,reorder=0.02,delay=2ms,corrupt=0.01,seed=6"})
    void aReaderThatStopsForTenSecondsThenResumesGetsEveryByte(String spec) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        // A 32 KiB receive buffer (the default is 256 KiB since window scaling): even under loss the
        // window fills, and shuts, well within the stop.
        try (WirePair pair = new WirePair(TestAllocator.config().receiveBufferSize(32 * 1024), Impairment.parse(spec), alloc)) {
            PersistTimes persist = new PersistTimes();
            pair.a.setTraceListener(persist);
            StreamPeer client = new StreamPeer("client", 2 * MB, StreamPeer.Start.ON_OPEN, true, 11);
            StreamPeer server = new StreamPeer("server", 0, StreamPeer.Start.ON_OPEN, true, 12);
            pair.b.listen(WirePair.ADDRESS_B, PORT, () -> server);
            pair.a.connect(WirePair.ADDRESS_A, WirePair.ADDRESS_B, PORT, client);
            pair.runUntil(() -> server.received >= MB / 2, 10 * MINUTE);

            server.pauseReading();
            long stalledAt = server.received;
            pair.runFor(10 * SECOND);
            long probes = pair.countersA.get(TcpStat.ZERO_WINDOW_PROBES);
            assertEquals(stalledAt, server.received, "nothing is read while the reader is stopped");
            assertTrue(probes >= 2, "the shut window was probed: " + probes);
            assertBacksOff(persist.fired);

            server.resumeReading();
            pair.runUntil(() -> client.closed != null && server.closed != null, 30 * MINUTE);
            assertEquals(client.sent, server.received);
            assertArrayEquals(client.sentHash(), server.receivedHash(), "client → server SHA-256");
            assertEquals(CloseReason.CLOSED, client.closed);
            assertEquals(CloseReason.CLOSED, server.closed);
            assertEquals(0, pair.countersA.get(TcpStat.TIMED_OUT));
            assertEquals(0, pair.countersA.get(TcpStat.PERSIST_TIMEOUTS));
            pair.runFor(2 * MINUTE);
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), "packet memory leaked");
        assertEquals(0, alloc.metric().usedHeapMemory(), "packet memory leaked");
    }

    /** Each probe waits at least about twice as long as the one before (until the maximum RTO). */
    private static void assertBacksOff(List<Long> fired) {
        assertTrue(fired.size() >= 3, "persist timer fired " + fired.size() + " times");
        for (int i = 2; i < fired.size(); i++) {
            long before = fired.get(i - 1) - fired.get(i - 2);
            long now = fired.get(i) - fired.get(i - 1);
            assertTrue(now >= before * 19 / 10 || now >= TimeUnit.SECONDS.toNanos(60),
                    "probe interval " + now + " ns after " + before + " ns: no backoff; fired at " + fired);
        }
    }

    /** A reader that never resumes but whose stack keeps answering: probing goes on, no abort. */
    @Test
    @Rfc9293("MUST-37")
    void aPeerThatKeepsItsWindowShutButAnswersIsNeverTimedOut() {
        try (WirePair pair = new WirePair(TestAllocator.config(), Impairment.parse("delay=5ms,seed=3"))) {
            StreamPeer client = new StreamPeer("client", MB, StreamPeer.Start.ON_OPEN, false, 21);
            StreamPeer server = new StreamPeer("server", 0, StreamPeer.Start.NEVER, false, 22);
            pair.b.listen(WirePair.ADDRESS_B, PORT, () -> server);
            pair.a.connect(WirePair.ADDRESS_A, WirePair.ADDRESS_B, PORT, client);
            pair.runUntil(() -> server.opened, MINUTE);
            server.pauseReading();
            pair.runFor(60 * MINUTE);
            assertTrue(pair.countersA.get(TcpStat.ZERO_WINDOW_PROBES) > pair.a.config().dataRetries(),
                    "more probes than the retry limit were answered");
            assertEquals(null, client.closed);
            assertEquals(0, pair.countersA.get(TcpStat.TIMED_OUT));
            server.resumeReading();
            pair.runUntil(() -> client.allSent() && server.received == client.sent, 10 * MINUTE);
            assertArrayEquals(client.sentHash(), server.receivedHash());
        }
    }

    /** Keep-alive between two stacks: an idle connection is probed and stays up while the peer answers. */
    @Test
    void keepAliveKeepsAnIdleConnectionWhosePeerAnswers() {
        try (WirePair pair = new WirePair(TestAllocator.config(), Impairment.parse("delay=5ms,seed=4"))) {
            StreamPeer client = new StreamPeer("client", 1000, StreamPeer.Start.ON_OPEN, false, 31);
            StreamPeer server = new StreamPeer("server", 0, StreamPeer.Start.NEVER, false, 32);
            pair.b.listen(WirePair.ADDRESS_B, PORT, () -> server);
            pair.a.connect(WirePair.ADDRESS_A, WirePair.ADDRESS_B, PORT, client);
            pair.runUntil(() -> server.received == 1000, MINUTE);
            client.channel.setKeepAlive(new KeepAlive(30 * SECOND, 5 * SECOND, 3));
            pair.runFor(10 * MINUTE);
            long probes = pair.countersA.get(TcpStat.KEEPALIVE_PROBES);
            assertTrue(probes >= 18 && probes <= 21, "about one probe per 30 s idle: " + probes);
            assertEquals(0, pair.countersA.get(TcpStat.KEEPALIVE_TIMEOUTS));
            assertEquals(null, client.closed);
        }
    }
}
