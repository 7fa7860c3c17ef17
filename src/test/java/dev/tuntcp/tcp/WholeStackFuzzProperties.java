package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.wire.InternetChecksum;
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
 * Issue 8 §5: raw TCP headers with every field fuzzed — ports, sequence and acknowledgment numbers
 * near and far from the windows, data offset 0..15, reserved bits, all eight flags, window, checksum
 * (mostly right, so the segment gets in), urgent pointer, option bytes of any shape, payload and a
 * length that may cut the header — go through {@link TcpInput} into a layer with a listener whose
 * small backlog overflows into SYN cookies, and with connections in every state. Buffers are pooled
 * and direct, so the leak detector (PARANOID) sees any that TCP keeps.
 *
 * <p>After every segment: nothing threw; every connection's invariants hold (SND.UNA =< SND.NXT =<
 * SND.MAX, the advertised right edge never moves left and never exceeds the free receive space, the
 * buffers' sizes match the sequence space they cover, the resource accounting equals the sum of the
 * connections' buffers); and a bystander connection from an address the fuzzer never uses is exactly
 * as it was, and still carries data at the end.
 */
class WholeStackFuzzProperties {
    private static final int LOCAL = 0x0A000002;
    private static final int BYSTANDER = 0x0A0000FE;
    private static final int[] PEERS = {0x0A000001, 0x0A000003, 0x0A000004};

    private final List<Segment> sent = new ArrayList<>();

    @Property(tries = 60)
    void fuzzedHeadersNeverThrowLeakOrTouchAnotherConnection(@ForAll long seed) {
        Random rnd = new Random(seed);
        VirtualClock clock = new VirtualClock();
        TimerQueue timers = new TimerQueue(clock);
        Counters counters = new Counters();
        sent.clear();
        TcpConfig config = TestAllocator.config().receiveBufferSize(500 + rnd.nextInt(8000))
                .sendBufferSize(500 + rnd.nextInt(8000)).challengeAckLimit(rnd.nextInt(3) * 50)
                .maxConnections(4 + rnd.nextInt(30));
        TcpLayer layer = new TcpLayer(config, timers, counters, s -> {
            Segment copy = new Segment().copyFrom(s);
            copy.data = null;
            sent.add(copy);
        });
        TcpInput input = new TcpInput(layer);
        List<TcpChannel> channels = new ArrayList<>();
        ConnectionHandler handler = handler(rnd, channels);
        layer.listen(LOCAL, 80, 1 + rnd.nextInt(3), () -> handler);

        // The bystander: established from an address the fuzzer never sends from.
        Connection bystander = handshake(input, layer, BYSTANDER, 5555, 777);
        assertNotNull(bystander);
        assertEquals(TcpState.ESTABLISHED, bystander.tcpState());
        ConnectionStatus before = bystander.status();

        Map<Connection, Integer> edges = new HashMap<>();
        for (int step = 0; step < 300; step++) {
            int action = rnd.nextInt(100);
            if (action < 75) {
                fuzz(input, layer, rnd);
            } else if (action < 82) {
                answerASynAck(input, rnd);
            } else if (action < 85) {
                // active opens too, so SYN-SENT meets the fuzz (refused at the connection bound)
                try {
                    channels.add(layer.connect(LOCAL, 0, PEERS[rnd.nextInt(PEERS.length)], 9000 + rnd.nextInt(3), handler));
                } catch (IllegalStateException refused) {
                    assertTrue(layer.connectionCount() >= config.maxConnections()
                            || counters.get(TcpDrop.RECEIVE_MEMORY_LIMIT) + counters.get(TcpDrop.SEND_MEMORY_LIMIT) > 0,
                            "connect refused only by a bound: " + refused.getMessage());
                }
            } else if (action < 92 && !channels.isEmpty()) {
                userCall(channels.get(rnd.nextInt(channels.size())), rnd);
            } else {
                long target = clock.nanos() + rnd.nextInt(3000) * 1_000_000L;
                while (timers.nextDeadline() - target <= 0) {
                    clock.setNanos(Math.max(clock.nanos(), timers.nextDeadline()));
                    timers.runExpired();
                }
                clock.setNanos(target);
            }
            sent.clear();
            check(layer, edges);
            if (bystander.tcpState() == TcpState.ESTABLISHED) {
                assertEquals(before.sndUna(), bystander.sndUna, "bystander untouched");
                assertEquals(before.rcvNxt(), bystander.rcvNxt, "bystander untouched");
                assertEquals(before.sndNxt(), bystander.sndNxt, "bystander untouched");
            }
        }
        assertTrue(counters.get(TcpStat.SEGMENTS_IN) > 50, "most fuzzed segments get past parsing into TCP");
        // The bystander still works (unless a timer ended it: it has nothing in flight, so it cannot).
        assertEquals(TcpState.ESTABLISHED, bystander.tcpState(), "bystander survives");
        int rcvNxt = bystander.rcvNxt;
        sendRaw(input, BYSTANDER, 5555, 80, rcvNxt, bystander.sndNxt, Segment.ACK | Segment.PSH, 65535, 5, 0, 100);
        assertEquals(rcvNxt + 100, bystander.rcvNxt, "bystander took its data");
        for (TcpChannel c : channels) {
            c.abort();
        }
        bystander.abort();
        long end = clock.nanos() + 3_600_000_000_000L;
        while (timers.nextDeadline() - end <= 0) {
            clock.setNanos(Math.max(clock.nanos(), timers.nextDeadline()));
            timers.runExpired();
        }
        assertEquals(0, layer.connectionCount(), () -> "every connection ends: " + layer.connections());
        assertEquals(0, layer.receiveMemoryReserved());
        assertEquals(0, layer.sendMemoryReserved());
    }

    /** One segment with every header field drawn at random (mostly near something meaningful). */
    private void fuzz(TcpInput input, TcpLayer layer, Random rnd) {
        int remote = PEERS[rnd.nextInt(PEERS.length)];
        int sport = 40000 + rnd.nextInt(6);
        int dport = rnd.nextInt(10) == 0 ? rnd.nextInt(65536) : 80;
        List<Connection> live = layer.connections();
        Connection target = null;
        if (!live.isEmpty() && rnd.nextBoolean()) {
            Connection c = live.get(rnd.nextInt(live.size()));
            if (c.remoteAddress != BYSTANDER) {
                target = c;
                remote = c.remoteAddress;
                sport = c.remotePort;
                dport = c.localPort;
            }
        }
        int seq = target != null && rnd.nextInt(4) != 0 ? target.rcvNxt + rnd.nextInt(4000) - 1000 : rnd.nextInt();
        int ack = target != null && rnd.nextInt(4) != 0 ? target.sndUna + rnd.nextInt(400) - 100 : rnd.nextInt();
        int flags = rnd.nextInt(3) == 0 ? rnd.nextInt(256) : pick(rnd);
        int dataOffsetWords = rnd.nextInt(8) == 0 ? rnd.nextInt(16) : 5 + rnd.nextInt(4);
        int optionBytes = Math.max(0, dataOffsetWords * 4 - 20);
        int payload = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1600);
        int checksumMode = rnd.nextInt(10); // 0: random, 1: zero, else right
        int truncate = rnd.nextInt(12) == 0 ? rnd.nextInt(24 + optionBytes + payload) : -1;
        // Built in an untracked heap buffer, then copied once into a pooled direct one that TCP sees:
        // PARANOID records every access, so byte-by-byte writes to a tracked buffer would crawl.
        ByteBuf draft = Unpooled.wrappedBuffer(new byte[24 + 40 + payload]).clear();
        draft.writeShort(sport).writeShort(dport).writeInt(seq).writeInt(ack);
        draft.writeByte(dataOffsetWords << 4 | rnd.nextInt(16)); // reserved bits too
        draft.writeByte(flags).writeShort(rnd.nextInt(8) == 0 ? 0 : rnd.nextInt(65536));
        draft.writeShort(0).writeShort(rnd.nextInt(65536));
        writeOptions(draft, rnd, optionBytes);
        byte[] data = new byte[payload];
        rnd.nextBytes(data);
        draft.writeBytes(data);
        int start = 4; // not at index 0, as inside an IP datagram
        int whole = draft.readableBytes();
        int length = truncate >= 0 ? Math.min(truncate, whole) : whole;
        ByteBuf buf = TestAllocator.POOLED.directBuffer(start + whole);
        try {
            buf.writeZero(start).writeBytes(draft);
            int sum = InternetChecksum.transportChecksum(remote, LOCAL, 6, buf, start, length);
            buf.setShort(start + 16, checksumMode == 0 ? rnd.nextInt(65536) : checksumMode == 1 ? 0 : sum);
            input.receive(remote, LOCAL, buf, start, length);
        } finally {
            buf.release();
        }
    }

    private static int pick(Random rnd) {
        int[] common = {Segment.SYN, Segment.ACK, Segment.ACK | Segment.PSH, Segment.RST, Segment.RST | Segment.ACK,
                Segment.FIN | Segment.ACK, Segment.SYN | Segment.ACK, 0, Segment.SYN | Segment.FIN};
        return common[rnd.nextInt(common.length)];
    }

    /** Options: well-formed ones, NOPs, EOL, unknown kinds, zero and overlong lengths, random bytes. */
    private static void writeOptions(ByteBuf buf, Random rnd, int room) {
        int written = 0;
        while (written < room) {
            int left = room - written;
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    if (left >= 4) {
                        buf.writeByte(2).writeByte(4).writeShort(rnd.nextInt(65536));
                        written += 4;
                        continue;
                    }
                }
                case 1 -> {
                    if (left >= 3) {
                        buf.writeByte(3).writeByte(3).writeByte(rnd.nextInt(20));
                        written += 3;
                        continue;
                    }
                }
                case 2 -> {
                    if (left >= 10) {
                        buf.writeByte(8).writeByte(10).writeInt(rnd.nextInt()).writeInt(rnd.nextInt());
                        written += 10;
                        continue;
                    }
                }
                case 3 -> {
                    if (left >= 2) {
                        buf.writeByte(4).writeByte(2);
                        written += 2;
                        continue;
                    }
                }
                case 4 -> {
                    if (left >= 2) {
                        buf.writeByte(rnd.nextInt(256)).writeByte(rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(64));
                        written += 2;
                        continue;
                    }
                }
                default -> {
                }
            }
            buf.writeByte(rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 1);
            written++;
        }
    }

    /** Sometimes the peer behaves: it answers one of the SYN/ACKs (a cookie one too) with its ACK. */
    private void answerASynAck(TcpInput input, Random rnd) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            Segment s = sent.get(i);
            if (s.flags == (Segment.SYN | Segment.ACK) && s.destinationAddress != BYSTANDER) {
                sendRaw(input, s.destinationAddress, s.destinationPort, s.sourcePort, s.ack, s.seq + 1,
                        Segment.ACK, 65535, 5, 0, rnd.nextInt(3) == 0 ? rnd.nextInt(300) : 0);
                return;
            }
        }
        // none pending: a proper SYN then
        sendRaw(input, PEERS[rnd.nextInt(PEERS.length)], 40000 + rnd.nextInt(6), 80, rnd.nextInt(), 0, Segment.SYN,
                65535, 6, 1460, 0);
    }

    /** A well-formed segment (optionally with an MSS option when dataOffsetWords is 6). */
    private static void sendRaw(TcpInput input, int remote, int sport, int dport, int seq, int ack, int flags,
                                int window, int dataOffsetWords, int mss, int payload) {
        ByteBuf draft = Unpooled.wrappedBuffer(new byte[24 + payload]).clear();
        draft.writeShort(sport).writeShort(dport).writeInt(seq).writeInt(ack);
        draft.writeByte(dataOffsetWords << 4).writeByte(flags).writeShort(window).writeShort(0).writeShort(0);
        if (dataOffsetWords == 6) {
            draft.writeByte(2).writeByte(4).writeShort(mss);
        }
        draft.writeZero(payload);
        ByteBuf buf = TestAllocator.POOLED.directBuffer(draft.readableBytes());
        try {
            buf.writeBytes(draft);
            int length = buf.writerIndex();
            buf.setShort(16, InternetChecksum.transportChecksum(remote, LOCAL, 6, buf, 0, length));
            input.receive(remote, LOCAL, buf, 0, length);
        } finally {
            buf.release();
        }
    }

    private static Connection handshake(TcpInput input, TcpLayer layer, int remote, int port, int isn) {
        sendRaw(input, remote, port, 80, isn, 0, Segment.SYN, 65535, 6, 1460, 0);
        Connection c = layer.find(LOCAL, 80, remote, port);
        sendRaw(input, remote, port, 80, isn + 1, c.iss + 1, Segment.ACK, 65535, 5, 0, 0);
        return c;
    }

    private static ConnectionHandler handler(Random rnd, List<TcpChannel> channels) {
        return new ConnectionHandler() {
            @Override
            public void onOpen(TcpChannel c) {
                if (c.remoteAddress() != BYSTANDER) {
                    channels.add(c); // the application acts on the others only
                }
            }

            @Override
            public void onReadable(TcpChannel c) {
                if (rnd.nextBoolean()) {
                    ByteBuf b = c.read(rnd.nextInt(2000));
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
    }

    private static void userCall(TcpChannel c, Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0, 1 -> {
                ByteBuf b = Unpooled.buffer(2000).writeZero(rnd.nextInt(2000));
                c.write(b);
                b.release();
            }
            case 2, 3 -> {
                ByteBuf b = c.read(rnd.nextInt(3000));
                if (b != null) {
                    b.release();
                }
            }
            case 4 -> c.shutdownOutput();
            default -> c.close();
        }
    }

    private static void check(TcpLayer layer, Map<Connection, Integer> edges) {
        long receive = 0;
        long send = 0;
        List<Connection> all = layer.connections();
        assertTrue(all.size() <= layer.config().maxConnections(), "connection bound");
        for (Connection c : all) {
            if (c.state != TcpState.TIME_WAIT) { // TIME-WAIT holds no reservation
                receive += c.receiveBuffer.capacity();
                send += c.sendBuffer.capacity();
            }
            assertTrue(c.state != TcpState.CLOSED && c.state != TcpState.LISTEN, "table holds " + c);
            assertTrue(SeqNum.le(c.sndUna, c.sndNxt), "SND.UNA =< SND.NXT " + c.status());
            assertTrue(SeqNum.le(c.sndNxt, c.sndMax), "SND.NXT =< SND.MAX " + c.status());
            assertTrue(SeqNum.distance(c.sndUna, c.sndMax) <= c.sendBuffer.size() + 2L, "outstanding fits the buffer " + c.status());
            assertTrue(c.receiveBuffer.size() >= 0 && c.receiveBuffer.size() <= c.receiveBuffer.capacity());
            assertTrue(c.sendBuffer.size() >= 0 && c.sendBuffer.size() <= c.sendBuffer.capacity());
            if (c.state.isSynchronized()) {
                Integer earlier = edges.get(c);
                if (earlier != null) {
                    assertTrue(SeqNum.le(earlier, c.rcvAdvertisedEdge), "advertised right edge moved left " + c.status());
                }
                edges.put(c, c.rcvAdvertisedEdge);
                assertTrue(c.rcvAdvertisedEdge - c.rcvNxt <= c.receiveBuffer.free(), "window larger than free space " + c.status());
            }
        }
        assertEquals(receive, layer.receiveMemoryReserved(), "receive accounting");
        assertEquals(send, layer.sendMemoryReserved(), "send accounting");
    }
}
