package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.wire.SeqNum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random segments (near the window and anywhere), random user calls and random waits against a
 * layer with a listener and several connections in every state: nothing throws, and after every step
 * the TCB invariants hold (SND.UNA =< SND.NXT =< SND.MAX; what is outstanding fits the send buffer
 * plus SYN and FIN; the advertised right edge never moves left and never promises more than the
 * receive buffer holds; the table holds only live states).
 */
class StateMachineFuzzProperties {
    private static final int LOCAL = 0x0A000002;
    private static final int REMOTE = 0x0A000001;
    private static final int[] FLAGS = {Segment.SYN, Segment.ACK, Segment.FIN, Segment.RST, Segment.PSH, Segment.URG};

    @Property(tries = 100)
    @Rfc9293("SHLD-14")
    void randomTrafficNeverBreaksTheInvariants(@ForAll long seed) {
        Random rnd = new Random(seed);
        VirtualClock clock = new VirtualClock();
        TimerQueue timers = new TimerQueue(clock);
        Counters counters = new Counters();
        List<Segment> sent = new ArrayList<>();
        TcpConfig config = TestAllocator.config().receiveBufferSize(1 + rnd.nextInt(4000)).sendBufferSize(1 + rnd.nextInt(6000))
                .mss(100 + rnd.nextInt(1400)).synRetries(rnd.nextInt(4)).dataRetries(rnd.nextInt(6));
        TcpLayer layer = new TcpLayer(config, timers, counters, s -> sent.add(new Segment().copyFrom(s)));
        List<TcpChannel> channels = new ArrayList<>();
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public void onOpen(TcpChannel c) {
                channels.add(c);
                if (rnd.nextInt(4) == 0) {
                    c.shutdownOutput(); // handlers act from callbacks too
                }
            }

            @Override
            public void onReadable(TcpChannel c) {
                if (rnd.nextBoolean()) {
                    ByteBuf b = c.read(rnd.nextInt(3000));
                    if (b != null) {
                        b.release();
                    }
                }
            }

            @Override
            public void onWritable(TcpChannel c) {
            }

            @Override
            public void onClosed(TcpChannel c, CloseReason reason) {
            }
        };
        layer.listen(LOCAL, 80, 1 + rnd.nextInt(3), () -> rnd.nextInt(10) == 0 ? null : handler);
        Map<Connection, Integer> edges = new HashMap<>();
        int peerIsn = rnd.nextInt();
        for (int step = 0; step < 400; step++) {
            int action = rnd.nextInt(100);
            if (action < 60) {
                inject(layer, rnd, peerIsn);
            } else if (action < 63) {
                channels.add(layer.connect(LOCAL, 0, REMOTE, 80 + rnd.nextInt(3), handler));
            } else if (action < 85 && !channels.isEmpty()) {
                userCall(channels.get(rnd.nextInt(channels.size())), rnd);
            } else {
                long wait = rnd.nextInt(3) == 0 ? rnd.nextInt(200_000) * 1_000_000L : rnd.nextInt(2000) * 1_000_000L;
                long target = clock.nanos() + wait;
                while (timers.nextDeadline() - target <= 0) {
                    clock.setNanos(Math.max(clock.nanos(), timers.nextDeadline()));
                    timers.runExpired();
                }
                clock.setNanos(target);
            }
            for (Connection c : layer.connections()) {
                checkInvariants(c, edges);
            }
            sent.clear();
        }
        for (TcpChannel c : channels) {
            c.abort(); // end with nothing half-done
        }
        // half-open ones the application never saw time out; TIME-WAIT ends
        long end = clock.nanos() + 60 * 60_000_000_000L;
        while (timers.nextDeadline() - end <= 0) {
            clock.setNanos(Math.max(clock.nanos(), timers.nextDeadline()));
            timers.runExpired();
        }
        assertEquals(0, layer.connectionCount(), () -> "every connection ends: " + layer.connections());
    }

    private static void inject(TcpLayer layer, Random rnd, int peerIsn) {
        Segment s = new Segment();
        s.sourceAddress = REMOTE;
        s.destinationAddress = LOCAL;
        s.sourcePort = 40000 + rnd.nextInt(4);
        s.destinationPort = rnd.nextInt(8) == 0 ? 81 : 80;
        List<Connection> live = layer.connections();
        if (!live.isEmpty() && rnd.nextBoolean()) {
            // address an existing connection, active opens included
            Connection target = live.get(rnd.nextInt(live.size()));
            s.sourcePort = target.remotePort;
            s.destinationPort = target.localPort;
        }
        Connection c = layer.find(LOCAL, s.destinationPort, REMOTE, s.sourcePort);
        boolean wellBehaved = rnd.nextInt(10) < 7;
        if (c == null) {
            // mostly a proper SYN, so connections keep being born
            s.flags = wellBehaved ? Segment.SYN : randomFlags(rnd);
            s.seq = rnd.nextBoolean() ? peerIsn + rnd.nextInt(100) : rnd.nextInt();
            s.ack = rnd.nextInt();
        } else if (c.state == TcpState.SYN_SENT) {
            s.flags = wellBehaved ? Segment.SYN | Segment.ACK : randomFlags(rnd);
            s.seq = peerIsn;
            s.ack = wellBehaved ? c.sndMax : c.sndUna + rnd.nextInt(200) - 50;
        } else if (wellBehaved) {
            // a peer that follows the protocol: in order, acknowledging what was sent, sometimes FIN
            s.flags = Segment.ACK | (rnd.nextInt(6) == 0 ? Segment.FIN : 0) | (rnd.nextBoolean() ? Segment.PSH : 0);
            s.seq = c.rcvNxt;
            s.ack = c.sndUna + (int) (rnd.nextDouble() * SeqNum.distance(c.sndUna, c.sndMax) + 0.5);
        } else {
            s.flags = randomFlags(rnd);
            s.seq = rnd.nextInt(10) == 0 ? rnd.nextInt() : c.rcvNxt + rnd.nextInt(6000) - 3000;
            s.ack = rnd.nextInt(10) == 0 ? rnd.nextInt() : c.sndUna + rnd.nextInt(200) - 50;
        }
        s.window = rnd.nextInt(8) == 0 ? 0 : rnd.nextInt(65536);
        s.mss = rnd.nextInt(3) == 0 ? rnd.nextInt(2000) : -1;
        s.urgentPointer = rnd.nextInt(65536);
        int length = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(2500);
        ByteBuf data = Unpooled.buffer(length + 3).writerIndex(3).writeZero(length);
        s.data = data;
        s.dataIndex = 3;
        s.dataLength = length;
        try {
            layer.input(s);
        } finally {
            data.release();
        }
    }

    private static int randomFlags(Random rnd) {
        int flags = 0;
        for (int f : FLAGS) {
            if (rnd.nextInt(f == Segment.ACK ? 2 : 6) == 0) {
                flags |= f;
            }
        }
        return flags;
    }

    private static void userCall(TcpChannel c, Random rnd) {
        switch (rnd.nextInt(9)) {
            case 0, 1, 7 -> {
                ByteBuf b = Unpooled.buffer(3000).writeZero(rnd.nextInt(3000));
                int before = b.readableBytes();
                int taken = c.write(b);
                assertTrue(taken >= 0 && taken <= before);
                assertEquals(before - taken, b.readableBytes());
                b.release();
            }
            case 2, 3, 8 -> {
                ByteBuf b = c.read(rnd.nextInt(5000));
                if (b != null) {
                    b.release();
                }
            }
            case 4 -> c.shutdownOutput();
            case 5 -> c.close();
            default -> {
                if (rnd.nextInt(3) == 0) {
                    c.abort();
                }
            }
        }
    }

    private static void checkInvariants(Connection c, Map<Connection, Integer> edges) {
        assertTrue(c.state != TcpState.CLOSED && c.state != TcpState.LISTEN, "table holds " + c);
        assertTrue(SeqNum.le(c.sndUna, c.sndNxt), "SND.UNA =< SND.NXT " + c.status());
        assertTrue(SeqNum.le(c.sndNxt, c.sndMax), "SND.NXT =< SND.MAX " + c.status());
        long outstanding = SeqNum.distance(c.sndUna, c.sndMax);
        assertTrue(outstanding <= c.sendBuffer.size() + 2L, "outstanding fits the buffer " + c.status());
        assertTrue(SeqNum.le(c.sndUna, c.sendBuffer.headSeq() + 1) && SeqNum.le(c.sendBuffer.headSeq(), c.sndUna + 1),
                "send buffer starts at SND.UNA " + c.status());
        assertTrue(c.receiveBuffer.size() <= c.receiveBuffer.capacity());
        if (c.state.isSynchronized()) {
            Integer before = edges.get(c);
            if (before != null) {
                assertTrue(SeqNum.le(before, c.rcvAdvertisedEdge), "advertised right edge moved left " + c.status());
            }
            edges.put(c, c.rcvAdvertisedEdge);
            // the window is honest: what we offered beyond RCV.NXT fits in the receive buffer
            assertTrue(c.rcvAdvertisedEdge - c.rcvNxt <= c.receiveBuffer.free(), "window larger than free space " + c.status());
        }
    }
}
