package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.stack.Counters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two TCPs back to back in virtual time: open, move megabytes both ways (SHA-256 checked), close in
 * every order, with and without loss.
 */
class BackToBackTest {
    private static final int PORT = 7000;
    private static final long MB = 1 << 20;
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final long DELAY = TimeUnit.MILLISECONDS.toNanos(5);

    /** Records every state change of one layer, per connection. */
    static final class StateLog implements TcpTraceListener {
        final List<String> changes = new ArrayList<>();

        @Override
        public void stateChanged(long nanos, Connection connection, TcpState from, TcpState to) {
            changes.add(to.rfcName());
        }
    }

    private record Run(LoopbackPair pair, StreamPeer client, StreamPeer server, StateLog clientStates,
                       StateLog serverStates) {
    }

    private static Run open(LoopbackPair pair, StreamPeer client, StreamPeer server) {
        StateLog cs = new StateLog();
        StateLog ss = new StateLog();
        pair.a.setTraceListener(cs);
        pair.b.setTraceListener(ss);
        pair.b.listen(LoopbackPair.ADDRESS_B, PORT, () -> server);
        pair.a.connect(LoopbackPair.ADDRESS_A, LoopbackPair.ADDRESS_B, PORT, client);
        return new Run(pair, client, server, cs, ss);
    }

    private static void assertIntact(Run r) {
        assertEquals(r.client.sent, r.server.received, "client → server byte count");
        assertEquals(r.server.sent, r.client.received, "server → client byte count");
        assertArrayEquals(r.client.sentHash(), r.server.receivedHash(), "client → server SHA-256");
        assertArrayEquals(r.server.sentHash(), r.client.receivedHash(), "server → client SHA-256");
    }

    private static long drops(Counters counters) {
        long n = 0;
        for (TcpDrop d : TcpDrop.values()) {
            n += counters.get(d);
        }
        return n;
    }

    private static void assertCleanLink(Run r) {
        for (Counters c : new Counters[] {r.pair.countersA, r.pair.countersB}) {
            assertEquals(0, c.get(TcpStat.RETRANSMITS), "no retransmissions on a clean link");
            assertEquals(0, drops(c), "no drops on a clean link: " + c.snapshot());
        }
    }

    private static void finishTimeWait(Run r) {
        r.pair.runFor(2 * MINUTE);
        assertEquals(0, r.pair.a.connectionCount(), "client side fully gone");
        assertEquals(0, r.pair.b.connectionCount(), "server side fully gone");
    }

    @Test
    void clientClosesFirstThenServerFinishesSending() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 1);
        StreamPeer client = new StreamPeer("client", 3 * MB, StreamPeer.Start.ON_OPEN, true, 11);
        StreamPeer server = new StreamPeer("server", 5 * MB, StreamPeer.Start.AFTER_PEER_FIN, true, 12);
        Run r = open(pair, client, server);
        pair.runUntil(() -> client.closed != null && server.closed != null, 10 * MINUTE);
        assertIntact(r);
        assertCleanLink(r);
        assertEquals(CloseReason.CLOSED, client.closed);
        assertEquals(CloseReason.CLOSED, server.closed);
        assertEquals(List.of("SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"), r.clientStates.changes);
        assertEquals(List.of("SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"), r.serverStates.changes);
        finishTimeWait(r);
        assertEquals(List.of("SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "CLOSED"),
                r.clientStates.changes);
    }

    @Test
    void serverClosesFirstThenClientFinishesSending() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 2);
        StreamPeer client = new StreamPeer("client", 4 * MB, StreamPeer.Start.AFTER_PEER_FIN, true, 21);
        StreamPeer server = new StreamPeer("server", 2 * MB, StreamPeer.Start.ON_OPEN, true, 22);
        Run r = open(pair, client, server);
        pair.runUntil(() -> client.closed != null && server.closed != null, 10 * MINUTE);
        assertIntact(r);
        assertCleanLink(r);
        assertEquals(List.of("SYN-SENT", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"), r.clientStates.changes);
        assertEquals(List.of("SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"), r.serverStates.changes);
        finishTimeWait(r);
    }

    @Test
    void bothSendAtOnceAndCloseWhenDone() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 3);
        StreamPeer client = new StreamPeer("client", 4 * MB, StreamPeer.Start.ON_OPEN, true, 31);
        StreamPeer server = new StreamPeer("server", 4 * MB + 12345, StreamPeer.Start.ON_OPEN, true, 32);
        Run r = open(pair, client, server);
        pair.runUntil(() -> client.closed != null && server.closed != null, 10 * MINUTE);
        assertIntact(r);
        assertCleanLink(r);
        assertEquals(CloseReason.CLOSED, client.closed);
        assertEquals(CloseReason.CLOSED, server.closed);
        finishTimeWait(r);
    }

    @Test
    void simultaneousCloseGoesThroughClosingOnBothSides() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 4);
        StreamPeer client = new StreamPeer("client", MB, StreamPeer.Start.ON_OPEN, false, 41);
        StreamPeer server = new StreamPeer("server", MB, StreamPeer.Start.ON_OPEN, false, 42);
        Run r = open(pair, client, server);
        pair.runUntil(() -> server.received == MB && client.received == MB, 10 * MINUTE);
        pair.runFor(TimeUnit.SECONDS.toNanos(1)); // let the last ACKs land
        // both applications close at the same instant: the FINs cross on the link
        client.channel.shutdownOutput();
        server.channel.shutdownOutput();
        pair.runUntil(() -> client.closed != null && server.closed != null, MINUTE);
        assertIntact(r);
        assertCleanLink(r);
        assertEquals(List.of("SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "CLOSING", "TIME-WAIT"), r.clientStates.changes);
        assertEquals(List.of("SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "CLOSING", "TIME-WAIT"), r.serverStates.changes);
        finishTimeWait(r);
    }

    @Test
    void halfCloseWhileThePeerKeepsSending() {
        // The client sends nothing and half-closes at once; the server then streams to it.
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 5);
        StreamPeer client = new StreamPeer("client", 0, StreamPeer.Start.ON_OPEN, true, 51);
        StreamPeer server = new StreamPeer("server", 6 * MB, StreamPeer.Start.AFTER_PEER_FIN, true, 52);
        Run r = open(pair, client, server);
        pair.runUntil(() -> client.closed != null && server.closed != null, 10 * MINUTE);
        assertIntact(r);
        assertCleanLink(r);
        assertEquals(6 * MB, client.received);
        finishTimeWait(r);
    }

    @ParameterizedTest
    @ValueSource(longs = {101, 202, 303})
    void survivesLightLossAndDuplication(long seed) {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0.01, 0.005, seed);
        StreamPeer client = new StreamPeer("client", MB, StreamPeer.Start.ON_OPEN, true, seed + 1);
        StreamPeer server = new StreamPeer("server", MB + 777, StreamPeer.Start.ON_OPEN, true, seed + 2);
        Run r = open(pair, client, server);
        pair.runUntil(() -> client.closed != null && server.closed != null, 60 * MINUTE);
        assertIntact(r);
        assertEquals(CloseReason.CLOSED, client.closed);
        assertEquals(CloseReason.CLOSED, server.closed);
        assertTrue(pair.lost > 0, "the link did lose segments");
        assertTrue(pair.countersA.get(TcpStat.RETRANSMITS) + pair.countersB.get(TcpStat.RETRANSMITS) > 0);
        finishTimeWait(r);
    }

    @Test
    void failingApplicationOnlyLosesItsOwnConnection() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 6);
        List<StreamPeer> servers = new ArrayList<>();
        pair.b.listen(LoopbackPair.ADDRESS_B, PORT, () -> {
            StreamPeer s = new StreamPeer("server" + servers.size(), 0, StreamPeer.Start.AFTER_PEER_FIN, true, 60);
            s.explodeOnRead = servers.size() == 2;
            servers.add(s);
            return s;
        });
        List<StreamPeer> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StreamPeer c = new StreamPeer("client" + i, 512 * 1024, StreamPeer.Start.ON_OPEN, true, 61 + i);
            clients.add(c);
            pair.a.connect(LoopbackPair.ADDRESS_A, LoopbackPair.ADDRESS_B, PORT, c);
        }
        pair.runUntil(() -> clients.stream().allMatch(c -> c.closed != null), 10 * MINUTE);
        int reset = 0;
        for (StreamPeer c : clients) {
            if (c.closed == CloseReason.RESET) {
                reset++;
            } else {
                assertEquals(CloseReason.CLOSED.toString() + "?", c.closed + "?", c.name);
            }
        }
        // the handshakes may complete in any order, but exactly one server connection blew up
        assertEquals(1, reset);
        assertEquals(1, pair.countersB.get(TcpDrop.HANDLER_FAILED));
        long fine = servers.stream().filter(s -> !s.explodeOnRead && s.received == 512 * 1024).count();
        assertEquals(4, fine);
    }
}
