package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.VirtualClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * SYN cookies (RFC 4987 §3.6): the encoding round-trips and binds the 4-tuple, the peer's ISN and
 * the time; a listener whose half-open queue is full answers with cookies and keeps no state; the ACK
 * that returns a cookie becomes an ordinary connection; forged or stale cookies are reset.
 */
class SynCookiesTest {
    private static final int L = 0x0A0D0002;
    private static final int R = 0x0A0D0001;

    @Property(tries = 300)
    void aCookieChecksOutForItsTupleAndIsnOnly(@ForAll int peerIsn, @ForAll @IntRange(min = 1, max = 65535) int port,
                                               @ForAll @IntRange(min = -1, max = 9000) int mss, @ForAll long k0,
                                               @ForAll int flip) {
        VirtualClock clock = new VirtualClock();
        clock.setNanos(Math.floorMod(k0, 1L << 50));
        SynCookies cookies = new SynCookies(clock, k0, 1, 2, 3);
        int index = SynCookies.mssIndex(mss);
        int cookie = cookies.make(L, 80, R, port, peerIsn, index);
        assertEquals(index, cookies.check(L, 80, R, port, peerIsn, cookie));
        assertTrue(SynCookies.MSS_TABLE[index] <= Math.max(mss, 536), "never more than the peer's MSS");
        if (flip != 0) {
            // Another tuple: refused (but for a 4 / 2^24 chance). Another ISN or cookie value never gives
            // back this MSS index (as in Linux, a shift by less than the table size may give another
            // index: harmless, only the holder of a valid cookie can produce it).
            assertEquals(-1, cookies.check(L, 80, R ^ flip, port, peerIsn, cookie));
            assertTrue(cookies.check(L, 80, R, port, peerIsn + flip, cookie) != index);
            assertTrue(cookies.check(L, 80, R, port, peerIsn, cookie + flip) != index);
        }
        clock.setNanos(clock.nanos() + SynCookies.PERIOD_NANOS);
        assertEquals(index, cookies.check(L, 80, R, port, peerIsn, cookie), "still valid one tick later");
        clock.setNanos(clock.nanos() + SynCookies.PERIOD_NANOS);
        assertEquals(-1, cookies.check(L, 80, R, port, peerIsn, cookie), "stale after MAX_AGE ticks");
    }

    @Test
    void aFullHalfOpenQueueAnswersWithCookiesAndTheAckMakesANormalConnection() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config());
        Listener listener = h.listen(2);
        h.inject(1000, Segment.SYN, 100, 0, 65535, 1460, 0);
        h.inject(1001, Segment.SYN, 200, 0, 65535, 1460, 0);
        h.sent.clear();
        assertEquals(2, listener.halfOpenCount());
        // The third SYN overflows: a cookie SYN/ACK, no state.
        h.inject(1002, Segment.SYN, 300, 0, 65535, 1400, 0);
        Segment cookie = h.takeLast();
        assertEquals(Segment.SYN | Segment.ACK, cookie.flags);
        assertEquals(301, cookie.ack);
        assertEquals(1460, cookie.mss, "our MSS option is still sent");
        assertEquals(-1, cookie.windowScale, "nothing a cookie cannot carry");
        assertTrue(!cookie.sackPermitted && !cookie.hasTimestamps);
        assertEquals(2, h.layer.connectionCount(), "no state for the cookie");
        assertEquals(1, h.count(TcpStat.SYNCOOKIES_SENT));
        assertEquals(1, h.count(TcpStat.LISTEN_OVERFLOWS));
        // The ACK returns it with 10 bytes of data: an established connection that took them.
        h.inject(1002, Segment.ACK | Segment.PSH, 301, cookie.seq + 1, 1000, -1, 10);
        Connection c = h.layer.find(SecurityHarness.LOCAL, 80, SecurityHarness.REMOTE, 1002);
        assertNotNull(c);
        assertEquals(TcpState.ESTABLISHED, c.tcpState());
        assertEquals(1, h.count(TcpStat.SYNCOOKIES_RECV));
        assertEquals(1, h.opened.size(), "the application got it");
        assertEquals(10, c.readableBytes());
        assertEquals(1000, c.sndWnd);
        assertEquals(1300, c.sndMss, "the MSS came back from the cookie");
        assertEquals(2, listener.halfOpenCount(), "the cookie connection is not half-open");
        Segment ack = h.takeLast();
        assertEquals(311, ack.ack);
        assertEquals(cookie.seq + 1, ack.seq);
        // It works normally: data out is acknowledged and the send window follows the ACK.
        assertTrue(c.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[50])) == 50);
        Segment data = h.takeLast();
        assertEquals(50, data.dataLength);
        h.inject(1002, Segment.ACK, 311, data.seq + 50, 2000, -1, 0);
        assertEquals(c.sndNxt, c.sndUna);
    }

    @Test
    void forgedAndStaleCookiesAreResetAndCreateNothing() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config());
        h.listen(1);
        h.inject(1000, Segment.SYN, 100, 0, 65535, 1460, 0);
        h.inject(1001, Segment.SYN, 200, 0, 65535, 1460, 0);
        Segment cookie = h.takeLast();
        // a forged ACK: answered as LISTEN answers any ACK, with <SEQ=SEG.ACK><CTL=RST>
        h.inject(1001, Segment.ACK, 201, cookie.seq + 7, 1000, -1, 0);
        Segment rst = h.takeLast();
        assertEquals(Segment.RST, rst.flags);
        assertEquals(cookie.seq + 7, rst.seq);
        assertEquals(1, h.count(TcpStat.SYNCOOKIES_FAILED));
        // a cookie for another ISN of the peer
        h.inject(1001, Segment.ACK, 210, cookie.seq + 1, 1000, -1, 0);
        assertEquals(2, h.count(TcpStat.SYNCOOKIES_FAILED));
        assertEquals(2, h.count(TcpDrop.LISTEN_ACK));
        // the right cookie, too late: two clock ticks (the half-open SYN-RECEIVED has long timed out)
        h.advance(2 * SynCookies.PERIOD_NANOS + 1);
        h.inject(1001, Segment.ACK, 201, cookie.seq + 1, 1000, -1, 0);
        assertEquals(Segment.RST, h.takeLast().flags);
        assertNull(h.layer.find(SecurityHarness.LOCAL, 80, SecurityHarness.REMOTE, 1001));
        assertEquals(0, h.count(TcpStat.SYNCOOKIES_RECV));
    }

    @Test
    void withoutRecentOverflowAnAckIsNeverTakenForACookie() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config());
        h.listen(1);
        h.inject(1000, Segment.ACK, 1, 1, 1000, -1, 0);
        assertEquals(Segment.RST, h.takeLast().flags);
        assertEquals(0, h.count(TcpStat.SYNCOOKIES_FAILED), "not even checked");
    }

    @Test
    void withCookiesOffAnOverflowingSynIsDropped() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config().synCookies(false));
        h.listen(1);
        h.inject(1000, Segment.SYN, 100, 0, 65535, 1460, 0);
        h.sent.clear();
        h.inject(1001, Segment.SYN, 200, 0, 65535, 1460, 0);
        assertTrue(h.sent.isEmpty());
        assertEquals(1, h.count(TcpDrop.LISTEN_BACKLOG_FULL));
        assertEquals(0, h.count(TcpStat.SYNCOOKIES_SENT));
    }

    /** A SYN to port 80 from {@code port} offering MSS 1460 and, as given, window scale, SACK and timestamps. */
    private static Segment syn(int port, int seq, int windowScale, boolean sack, boolean timestamps) {
        Segment syn = new Segment();
        syn.sourceAddress = SecurityHarness.REMOTE;
        syn.destinationAddress = SecurityHarness.LOCAL;
        syn.sourcePort = port;
        syn.destinationPort = 80;
        syn.flags = Segment.SYN;
        syn.seq = seq;
        syn.window = 64240;
        syn.mss = 1460;
        syn.windowScale = windowScale;
        syn.sackPermitted = sack;
        syn.hasTimestamps = timestamps;
        syn.tsVal = timestamps ? 12345 : 0;
        return syn;
    }

    /** The peer's ACK of a cookie SYN/ACK, echoing its TSval when it has one. */
    private static Segment ackOf(Segment cookie, int port, int seq, int window) {
        Segment ack = new Segment();
        ack.sourceAddress = SecurityHarness.REMOTE;
        ack.destinationAddress = SecurityHarness.LOCAL;
        ack.sourcePort = port;
        ack.destinationPort = 80;
        ack.flags = Segment.ACK;
        ack.seq = seq;
        ack.ack = cookie.seq + 1;
        ack.window = window;
        if (cookie.hasTimestamps) {
            ack.hasTimestamps = true;
            ack.tsVal = 12346;
            ack.tsEcr = cookie.tsVal;
        }
        return ack;
    }

    @Test
    void withTimestampsTheCookieCarriesWindowScaleAndSackInItsTsvalAndTheConnectionUsesThem() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config().receiveBufferSize(1 << 20));
        h.listen(1);
        h.inject(1000, Segment.SYN, 100, 0, 65535, 1460, 0);
        h.advance(5_000_000_000L); // a TSval clock well away from zero
        h.sent.clear();
        // A SYN offering window scale 7, SACK and timestamps, as Linux's does, finds the queue full.
        h.layer.input(syn(1001, 500, 7, true, true));
        Segment cookie = h.takeLast();
        assertEquals(Segment.SYN | Segment.ACK, cookie.flags);
        assertEquals(OptionNegotiation.ourWindowScale(h.layer.config()), cookie.windowScale);
        assertTrue(cookie.windowScale > 0, "a 1 MiB buffer needs a shift");
        assertTrue(cookie.sackPermitted && cookie.hasTimestamps);
        assertEquals(12345, cookie.tsEcr, "RFC 7323 §4.3: the SYN's TSval echoed");
        assertEquals(7 | 0x10, cookie.tsVal & SynCookieOptions.MASK, "shift 7 and SACK in the low bits");
        assertEquals(1, h.count(TcpStat.SYNCOOKIES_SENT));
        assertEquals(1, h.layer.connectionCount(), "still no state for the cookie");
        // The peer's ACK echoes the TSval: window 1000 << 7, SACK and timestamps in use from here on.
        h.layer.input(ackOf(cookie, 1001, 501, 1000));
        Connection c = h.layer.find(SecurityHarness.LOCAL, 80, SecurityHarness.REMOTE, 1001);
        assertNotNull(c);
        assertEquals(TcpState.ESTABLISHED, c.tcpState());
        assertEquals(7, c.sndWscale);
        assertEquals(cookie.windowScale, c.rcvWscale);
        assertEquals(1000 << 7, c.sndWnd, "the ACK's window is scaled");
        assertTrue(c.sackPermitted);
        assertTrue(c.timestamps.enabled);
        assertEquals(1460 - OptionNegotiation.TIMESTAMPS_LENGTH, c.sndMss, "cookie MSS less the timestamps");
        // What it sends carries timestamps echoing the peer's last TSval.
        assertEquals(20, c.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[20])));
        Segment data = h.takeLast();
        assertTrue(data.hasTimestamps);
        assertEquals(12346, data.tsEcr);
    }

    @Property(tries = 200)
    void theOptionBitsRoundTripAndTheTsvalNeverRunsAhead(@ForAll int now, @ForAll @IntRange(min = -1, max = 20) int shift,
                                                        @ForAll boolean sack) {
        int bits = SynCookieOptions.encode(shift, sack);
        int tsVal = SynCookieOptions.stamp(now, bits);
        assertTrue(now - tsVal >= 0 && now - tsVal < 64, "at most 63 ms behind the clock, never ahead");
        assertEquals(shift < 0 ? -1 : Math.min(shift, 14), SynCookieOptions.windowScale(tsVal));
        assertEquals(sack, SynCookieOptions.sackPermitted(tsVal));
    }

    @Test
    void withoutTimestampsACookieOffersNoOptionItCannotRebuildAndItsConnectionUsesNone() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config());
        h.listen(1);
        h.inject(1000, Segment.SYN, 100, 0, 65535, 1460, 0);
        h.sent.clear();
        // Window scale and SACK offered, but no timestamps to carry them in.
        h.layer.input(syn(1001, 500, 7, true, false));
        Segment cookie = h.takeLast();
        assertEquals(Segment.SYN | Segment.ACK, cookie.flags);
        assertEquals(-1, cookie.windowScale, "RFC 7323 §2.2: no window scale in the SYN/ACK, so none is used");
        assertTrue(!cookie.sackPermitted && !cookie.hasTimestamps, "nor SACK nor timestamps");
        assertEquals(1, h.count(TcpStat.SYNCOOKIES_SENT));
        h.layer.input(ackOf(cookie, 1001, 501, 1000));
        Connection c = h.layer.find(SecurityHarness.LOCAL, 80, SecurityHarness.REMOTE, 1001);
        assertNotNull(c);
        assertEquals(TcpState.ESTABLISHED, c.tcpState());
        assertEquals(0, c.sndWscale, "the peer's window is taken unscaled");
        assertEquals(0, c.rcvWscale);
        assertEquals(1000, c.sndWnd);
        assertTrue(!c.sackPermitted && !c.timestamps.enabled);
    }
}
