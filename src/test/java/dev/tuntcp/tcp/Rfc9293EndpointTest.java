package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.testing.IgnoringHandler;
import dev.tuntcp.testing.Rfc9293;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 requirements about time and addresses, checked on one {@link TcpLayer} driven directly
 * (no script): the tests state bounds ("within 0.5 s", "still open after 100 s") rather than exact
 * timer schedules, so they hold whatever RTO and delayed-ACK policy the stack adopts.
 */
class Rfc9293EndpointTest {
    private static final int A = 0x0A000002;     // 10.0.0.2, one of our addresses
    private static final int B = 0x0A000003;     // 10.0.0.3, another
    private static final int PEER = 0x0A000001;  // 10.0.0.1

    private final VirtualClock clock = new VirtualClock();
    private final TimerQueue timers = new TimerQueue(clock);
    private final List<Segment> sent = new ArrayList<>();
    private final TcpLayer layer = new TcpLayer(TestAllocator.config(), timers, new Counters(),
            seg -> sent.add(new Segment().copyFrom(seg)));

    private static final ConnectionHandler QUIET = IgnoringHandler.INSTANCE;

    /** Injects a segment from the peer; {@code data} octets of payload (0..). */
    private void in(int from, int fromPort, int to, int toPort, int flags, int seq, int ack, int data) {
        in(from, fromPort, to, toPort, flags, seq, ack, data, 65535, 1460);
    }

    private void in(int from, int fromPort, int to, int toPort, int flags, int seq, int ack, int data, int window,
                    int mss) {
        Segment s = new Segment();
        s.sourceAddress = from;
        s.sourcePort = fromPort;
        s.destinationAddress = to;
        s.destinationPort = toPort;
        s.flags = flags;
        s.seq = seq;
        s.ack = ack;
        s.window = window;
        if ((flags & Segment.SYN) != 0) {
            s.mss = mss;
        }
        ByteBuf payload = null;
        if (data > 0) {
            payload = Unpooled.buffer(data).writeZero(data);
            s.data = payload;
            s.dataIndex = 0;
            s.dataLength = data;
        }
        try {
            layer.input(s);
        } finally {
            if (payload != null) {
                payload.release();
            }
        }
    }

    private Segment last() {
        assertTrue(!sent.isEmpty(), "nothing was sent");
        return sent.get(sent.size() - 1);
    }

    /** Passive open of PEER:port to {@code to}:80; returns our ISS. */
    private int accept(int to, int peerPort) {
        in(PEER, peerPort, to, 80, Segment.SYN, 1000, 0, 0);
        Segment synAck = last();
        assertEquals(Segment.SYN | Segment.ACK, synAck.flags);
        in(PEER, peerPort, to, 80, Segment.ACK, 1001, synAck.seq + 1, 0);
        assertEquals(TcpState.ESTABLISHED, layer.find(to, 80, PEER, peerPort).state);
        return synAck.seq;
    }

    /** Runs every timer due in the next {@code nanos}, as time passes. */
    private void advance(long nanos) {
        long target = clock.nanos() + nanos;
        while (timers.nextDeadline() - target <= 0) {
            long d = timers.nextDeadline();
            if (d > clock.nanos()) {
                clock.setNanos(d);
            }
            timers.runExpired();
        }
        clock.setNanos(target);
    }

    @Test
    @Rfc9293("MUST-40")
    void dataIsAcknowledgedWithinHalfASecond() {
        layer.listen(A, 80, () -> QUIET);
        int iss = accept(A, 40000);
        sent.clear();
        in(PEER, 40000, A, 80, Segment.ACK | Segment.PSH, 1001, iss + 1, 100);
        long start = clock.nanos();
        // §3.8.6.3: whatever delayed-ACK policy is in force, the ACK must leave in under 0.5 s.
        while (sent.stream().noneMatch(s -> (s.flags & Segment.ACK) != 0 && s.ack == 1101)
                && clock.nanos() - start < TimeUnit.MILLISECONDS.toNanos(499)) {
            advance(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertTrue(sent.stream().anyMatch(s -> (s.flags & Segment.ACK) != 0 && s.ack == 1101),
                "no ACK of the data within 499 ms; sent " + sent);
    }

    @Test
    @Rfc9293("SHLD-11")
    void unacknowledgedDataKeepsTheConnectionOpenForAtLeast100Seconds() {
        layer.listen(A, 80, () -> QUIET);
        int iss = accept(A, 40000);
        Connection c = layer.find(A, 80, PEER, 40000);
        ByteBuf data = Unpooled.buffer(10).writeZero(10);
        c.write(data);
        data.release();
        sent.clear();
        // §3.8.3: R2 (here the default TcpConfig.dataRetries) must amount to at least 100 s.
        advance(TimeUnit.SECONDS.toNanos(100));
        assertEquals(TcpState.ESTABLISHED, c.state);
        long retransmissions = sent.stream().filter(s -> s.seq == iss + 1 && s.dataLength == 10).count();
        assertTrue(retransmissions >= 2, "the data was retransmitted meanwhile: " + retransmissions);
    }

    @Test
    @Rfc9293({"MUST-43", "MUST-45"})
    void aConnectionUsesTheLocalAddressItWasOpenedOnThroughout() {
        // A listener on every local address (0): each connection answers from the address its SYN was
        // sent to, and keeps it (§3.9.1.1).
        layer.listen(0, 80, () -> QUIET);
        int issA = accept(A, 40000);
        int issB = accept(B, 40001);
        assertTrue(sent.stream().allMatch(s -> s.sourceAddress == (s.destinationPort == 40000 ? A : B)), sent::toString);
        sent.clear();
        in(PEER, 40001, B, 80, Segment.ACK | Segment.PSH, 1001, issB + 1, 10);
        in(PEER, 40000, A, 80, Segment.ACK | Segment.PSH, 1001, issA + 1, 10);
        Connection onB = layer.find(B, 80, PEER, 40001);
        ByteBuf data = Unpooled.buffer(5).writeZero(5);
        onB.write(data);
        data.release();
        onB.shutdownOutput();
        assertTrue(sent.size() >= 3, sent::toString);
        for (Segment s : sent) {
            assertEquals(s.destinationPort == 40001 ? B : A, s.sourceAddress, s::toString);
        }
        // An active open names its local address: the SYN and all that follows come from it.
        sent.clear();
        Connection active = layer.connect(B, 0, PEER, 7, QUIET);
        Segment syn = last();
        assertEquals(B, syn.sourceAddress);
        in(PEER, 7, B, active.localPort(), Segment.SYN | Segment.ACK, 5000, syn.seq + 1, 0);
        assertEquals(TcpState.ESTABLISHED, active.state);
        assertEquals(B, last().sourceAddress);
        assertEquals(Segment.ACK, last().flags);
    }

    @Test
    @Rfc9293("SHLD-16")
    void afterTheWindowShrinksTheDataInsideItIsStillRetransmitted() {
        layer.listen(A, 80, () -> QUIET);
        in(PEER, 40000, A, 80, Segment.SYN, 1000, 0, 0, 1000, 100);
        int iss = last().seq;
        in(PEER, 40000, A, 80, Segment.ACK, 1001, iss + 1, 0, 1000, 100);
        Connection c = layer.find(A, 80, PEER, 40000);
        ByteBuf data = Unpooled.buffer(300).writeZero(300);
        c.write(data);
        data.release();
        assertEquals(300, sent.stream().filter(s -> s.dataLength > 0).mapToInt(s -> s.dataLength).sum(), sent::toString);
        // The peer pulls its right edge back from SND.UNA+1000 to SND.UNA+100 (§3.8.6) and then goes quiet.
        in(PEER, 40000, A, 80, Segment.ACK, 1001, iss + 1, 0, 100, 0);
        sent.clear();
        long start = clock.nanos();
        while (sent.stream().noneMatch(s -> s.dataLength > 0) && clock.nanos() - start < TimeUnit.SECONDS.toNanos(120)) {
            advance(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Segment first = sent.stream().filter(s -> s.dataLength > 0).findFirst().orElseThrow(
                () -> new AssertionError("nothing retransmitted in 120 s"));
        // The old data at SND.UNA, inside the shrunk window, is what goes out again.
        assertEquals(iss + 1, first.seq);
        assertTrue(first.dataLength <= 100, "within SND.UNA + SND.WND: " + first);
        assertEquals(TcpState.ESTABLISHED, c.state);
    }

    @Test
    @Rfc9293("SHLD-17")
    void dataStrandedBeyondAShrunkWindowDoesNotTimeTheConnectionOut() {
        layer.listen(A, 80, () -> QUIET);
        int iss = accept(A, 40000);
        Connection c = layer.find(A, 80, PEER, 40000);
        ByteBuf data = Unpooled.buffer(100).writeZero(100);
        c.write(data);
        data.release();
        // The peer takes 50 octets and shuts its window: octets 51..100 were sent but now lie beyond
        // the right edge (§3.8.6). It answers everything it gets, for half an hour.
        in(PEER, 40000, A, 80, Segment.ACK, 1001, iss + 51, 0, 0, 0);
        long answered = 0;
        for (int step = 0; step < 30 * 60 * 10; step++) {
            sent.clear();
            advance(TimeUnit.MILLISECONDS.toNanos(100));
            if (sent.stream().anyMatch(s -> s.dataLength > 0)) {
                in(PEER, 40000, A, 80, Segment.ACK, 1001, iss + 51, 0, 0, 0);
                answered++;
            }
        }
        assertEquals(TcpState.ESTABLISHED, c.state);
        assertTrue(answered > layer.config().dataRetries(), "more answered probes than the retry limit: " + answered);
        // The window opens: the rest of the stranded octets go (the probe octet is already out) and
        // all 100 are acknowledged.
        sent.clear();
        in(PEER, 40000, A, 80, Segment.ACK, 1001, iss + 51, 0, 1000, 0);
        assertTrue(sent.stream().anyMatch(s -> s.dataLength > 0 && s.seq + s.dataLength == iss + 101), sent::toString);
        in(PEER, 40000, A, 80, Segment.ACK, 1001, iss + 101, 0, 1000, 0);
        assertEquals(iss + 101, c.sndUna);
        assertEquals(TcpState.ESTABLISHED, c.state);
    }
}
