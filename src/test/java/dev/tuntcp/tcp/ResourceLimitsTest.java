package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The layer-wide bounds of TcpConfig refuse the new connection, count it, and leave the others alone. */
class ResourceLimitsTest {

    @Test
    void theConnectionLimitRefusesNewSynsConnectsAndCookieAcks() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config().maxConnections(2));
        h.listen(1);
        Connection first = h.establish(1000, 100);
        h.inject(1001, Segment.SYN, 200, 0, 65535, 1460, 0);  // half-open: the second connection
        h.sent.clear();
        h.inject(1002, Segment.SYN, 300, 0, 65535, 1460, 0);  // backlog full: a cookie, no state
        Segment cookie = h.takeLast();
        h.inject(1002, Segment.ACK, 301, cookie.seq + 1, 1000, -1, 0); // valid cookie, but no room
        assertEquals(Segment.RST, h.takeLast().flags, "the cookie's peer is told at once");
        assertEquals(1, h.count(TcpDrop.CONNECTION_LIMIT));
        assertEquals(1, h.count(TcpDrop.SYNCOOKIE_REFUSED));
        assertThrows(IllegalStateException.class,
                () -> h.layer.connect(SecurityHarness.LOCAL, 0, SecurityHarness.REMOTE, 7, h.handler));
        assertEquals(2, h.count(TcpDrop.CONNECTION_LIMIT));
        assertEquals(2, h.layer.connectionCount());
        assertEquals(TcpState.ESTABLISHED, first.tcpState(), "existing connections are untouched");
        // room again once one leaves
        first.abort();
        h.inject(1003, Segment.SYN, 400, 0, 65535, 1460, 0);
        assertEquals(Segment.SYN | Segment.ACK, h.takeLast().flags);
    }

    @Test
    void memoryLimitsCountReservationsAndGiveThemBack() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config().receiveBufferSize(10_000)
                .receiveMemoryLimit(25_000).sendBufferSize(4000).sendMemoryLimit(1_000_000));
        h.listen(8);
        h.establish(1000, 100);
        h.establish(1001, 200);
        assertEquals(20_000, h.layer.receiveMemoryReserved());
        assertEquals(8000, h.layer.sendMemoryReserved());
        h.inject(1002, Segment.SYN, 300, 0, 65535, 1460, 0);
        assertTrue(h.sent.isEmpty(), "a refused SYN is dropped (the peer retries)");
        assertEquals(1, h.count(TcpDrop.RECEIVE_MEMORY_LIMIT));
        assertNull(h.layer.find(SecurityHarness.LOCAL, 80, SecurityHarness.REMOTE, 1002));
        h.layer.find(SecurityHarness.LOCAL, 80, SecurityHarness.REMOTE, 1000).abort();
        assertEquals(10_000, h.layer.receiveMemoryReserved());
        h.inject(1002, Segment.SYN, 300, 0, 65535, 1460, 0);
        assertEquals(Segment.SYN | Segment.ACK, h.takeLast().flags);

        SecurityHarness s = new SecurityHarness(TestAllocator.config().sendBufferSize(6000).sendMemoryLimit(10_000));
        s.listen(8);
        s.establish(1000, 100);
        s.inject(1001, Segment.SYN, 300, 0, 65535, 1460, 0);
        assertEquals(1, s.count(TcpDrop.SEND_MEMORY_LIMIT));
    }

    @Test
    void timeWaitGivesItsReservationBackButStillCountsAsAConnection() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config().receiveBufferSize(10_000)
                .receiveMemoryLimit(10_000).maxConnections(2));
        h.listen(8);
        Connection c = h.establish(1000, 100);
        // We close first and the peer acknowledges and closes: TIME-WAIT on our side.
        c.close();
        Segment fin = h.takeLast();
        h.inject(1000, Segment.ACK | Segment.FIN, 101, fin.seq + 1, 65535, -1, 0);
        assertEquals(TcpState.TIME_WAIT, c.tcpState());
        assertEquals(0, h.layer.receiveMemoryReserved());
        h.inject(1001, Segment.SYN, 300, 0, 65535, 1460, 0);
        assertEquals(Segment.SYN | Segment.ACK, h.takeLast().flags, "the memory is free again");
        h.inject(1002, Segment.SYN, 300, 0, 65535, 1460, 0);
        assertEquals(1, h.count(TcpDrop.CONNECTION_LIMIT), "TIME-WAIT still counts as a connection");
        h.advance(h.layer.config().timeWaitNanos() + 1);
        assertNull(h.layer.find(SecurityHarness.LOCAL, 80, SecurityHarness.REMOTE, 1000));
        assertTrue(h.layer.receiveMemoryReserved() <= 10_000, "nothing released twice or leaked");
    }
}
