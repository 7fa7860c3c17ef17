package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The RFC 4022 counters defined by transitions (tcpAttemptFails, tcpEstabResets) on two TCPs back
 * to back: a refused or timed-out open is an attempt that failed, a reset of an established
 * connection is an EstabReset on both sides, and a graceful close counts neither.
 */
class MibTransitionsTest {
    private static final int PORT = 7100;
    private static final long DELAY = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LIMIT = TimeUnit.MINUTES.toNanos(5);

    /** Reads and discards what arrives; remembers the channel and whether it closed. */
    private static final class Peer implements ConnectionHandler {
        TcpChannel channel;
        CloseReason closed;

        @Override
        public void onOpen(TcpChannel c) {
            channel = c;
        }

        @Override
        public void onReadable(TcpChannel c) {
            ByteBuf data;
            while ((data = c.read(65536)) != null) {
                data.release();
            }
            if (c.isInputShutdown()) {
                c.close();
            }
        }

        @Override
        public void onWritable(TcpChannel c) {
        }

        @Override
        public void onClosed(TcpChannel c, CloseReason reason) {
            closed = reason;
        }
    }

    private static long attemptFails(Counters c) {
        return c.get(TcpStat.ATTEMPT_FAILS);
    }

    private static long estabResets(Counters c) {
        return c.get(TcpStat.ESTAB_RESETS);
    }

    @Test
    void aSynToAClosedPortIsAFailedAttempt() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 1);
        Peer client = new Peer();
        pair.a.connect(LoopbackPair.ADDRESS_A, LoopbackPair.ADDRESS_B, PORT, client);
        pair.runUntil(() -> client.closed != null, LIMIT);
        assertEquals(ConnectionHandler.CloseReason.REFUSED, client.closed);
        assertEquals(1, attemptFails(pair.countersA), "SYN-SENT → CLOSED on the RST");
        assertEquals(0, estabResets(pair.countersA));
        assertEquals(0, attemptFails(pair.countersB), "the closed port had no connection to fail");
    }

    @Test
    void anUnansweredSynTimesOutAsAFailedAttempt() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 1.0, 0, 1); // every segment lost
        Peer client = new Peer();
        pair.a.connect(LoopbackPair.ADDRESS_A, LoopbackPair.ADDRESS_B, PORT, client);
        pair.runUntil(() -> client.closed != null, LIMIT);
        assertEquals(ConnectionHandler.CloseReason.TIMED_OUT, client.closed);
        assertEquals(1, attemptFails(pair.countersA));
    }

    @Test
    void anAbortedConnectionIsAnEstabResetOnBothSides() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 1);
        Peer client = new Peer();
        Peer server = new Peer();
        pair.b.listen(LoopbackPair.ADDRESS_B, PORT, () -> server);
        pair.a.connect(LoopbackPair.ADDRESS_A, LoopbackPair.ADDRESS_B, PORT, client);
        pair.runUntil(() -> client.channel != null && server.channel != null, LIMIT);
        client.channel.abort();
        pair.runUntil(() -> server.closed != null, LIMIT);
        assertEquals(ConnectionHandler.CloseReason.RESET, server.closed);
        assertEquals(1, estabResets(pair.countersA), "ABORT in ESTABLISHED: → CLOSED");
        assertEquals(1, estabResets(pair.countersB), "RST received in ESTABLISHED: → CLOSED");
        assertEquals(0, attemptFails(pair.countersA) + attemptFails(pair.countersB));
    }

    @Test
    void aGracefulCloseCountsNeither() {
        LoopbackPair pair = new LoopbackPair(TestAllocator.config(), DELAY, 0, 0, 1);
        Peer client = new Peer();
        Peer server = new Peer();
        pair.b.listen(LoopbackPair.ADDRESS_B, PORT, () -> server);
        pair.a.connect(LoopbackPair.ADDRESS_A, LoopbackPair.ADDRESS_B, PORT, client);
        pair.runUntil(() -> client.channel != null && server.channel != null, LIMIT);
        client.channel.close();
        pair.runUntil(() -> pair.a.connectionCount() == 0 && pair.b.connectionCount() == 0, LIMIT);
        for (Counters c : new Counters[] {pair.countersA, pair.countersB}) {
            assertEquals(0, attemptFails(c), c.snapshot().toString());
            assertEquals(0, estabResets(c), c.snapshot().toString());
        }
    }
}
