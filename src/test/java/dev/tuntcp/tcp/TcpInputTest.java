package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.ParseError;
import dev.tuntcp.wire.SegmentBuilder;
import dev.tuntcp.wire.TcpControl;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** TcpInput turns packets into segments, or counts why not; WireTcpOutput is its inverse. */
class TcpInputTest {
    private static final int LOCAL = 0x0A000002;
    private static final int REMOTE = 0x0A000001;

    private final Counters counters = new Counters();
    private final List<Segment> sent = new ArrayList<>();
    private final TcpLayer layer = new TcpLayer(TestAllocator.config(), new TimerQueue(new VirtualClock()), counters,
            seg -> sent.add(new Segment().copyFrom(seg)));
    private final TcpInput input = new TcpInput(layer);

    private static ByteBuf packet(int src, int dst, int sport, int dport, int flags, TcpOptions options, int payload) {
        ByteBuf data = Unpooled.buffer(payload);
        data.writeZero(payload);
        SegmentBuilder b = new SegmentBuilder().addresses(src, dst).ports(sport, dport).seq(1000).ack(0)
                .flags(flags).window(65535).options(options).payload(data, 0, payload);
        ByteBuf out = Unpooled.buffer(b.length());
        b.write(out);
        data.release();
        return out;
    }

    private void receive(ByteBuf p) {
        try {
            input.receive(p.getInt(12), p.getInt(16), p, Ipv4Header.MIN_LENGTH, p.readableBytes() - Ipv4Header.MIN_LENGTH);
        } finally {
            p.release();
        }
    }

    @Test
    @Rfc9293("MUST-14")
    void synToAListenerIsAnsweredWithItsMssParsed() {
        layer.listen(LOCAL, 80, () -> null);
        receive(packet(REMOTE, LOCAL, 40000, 80, Segment.SYN, new TcpOptions().mss(1200).windowScale(7).sackPermitted(true), 0));
        assertEquals(1, sent.size());
        assertEquals(Segment.SYN | Segment.ACK, sent.get(0).flags);
        assertEquals(1001, sent.get(0).ack);
        assertEquals(1200, layer.find(LOCAL, 80, REMOTE, 40000).sndMss);
    }

    @Test
    @Rfc9293("MUST-3")
    void badChecksumIsDroppedAndCounted() {
        ByteBuf p = packet(REMOTE, LOCAL, 40000, 80, Segment.SYN, null, 10);
        p.setByte(p.writerIndex() - 1, 0x55);
        receive(p);
        assertEquals(1, counters.get(TcpDrop.BAD_CHECKSUM));
        assertEquals(1, counters.get(ParseError.TCP_BAD_CHECKSUM));
        assertTrue(sent.isEmpty());
    }

    @Test
    void truncatedHeaderIsMalformed() {
        ByteBuf p = packet(REMOTE, LOCAL, 40000, 80, Segment.SYN, null, 0);
        try {
            input.receive(REMOTE, LOCAL, p, Ipv4Header.MIN_LENGTH, 12);
        } finally {
            p.release();
        }
        assertEquals(1, counters.get(TcpDrop.MALFORMED));
        assertEquals(1, counters.get(ParseError.TCP_TRUNCATED));
    }

    @Test
    @Rfc9293("MUST-7")
    void bogusOptionLengthIsMalformed() {
        ByteBuf p = packet(REMOTE, LOCAL, 40000, 80, Segment.SYN, new TcpOptions().mss(1460), 0);
        // turn the MSS option's length byte into 0, then fix the checksum the lazy way: rebuild sum
        int t = Ipv4Header.MIN_LENGTH;
        p.setByte(t + 21, 0);
        p.setShort(t + 16, 0);
        p.setShort(t + 16, dev.tuntcp.wire.InternetChecksum.transportChecksum(REMOTE, LOCAL, 6, p, t, p.readableBytes() - t));
        receive(p);
        assertEquals(1, counters.get(TcpDrop.MALFORMED));
        assertEquals(1, counters.get(ParseError.TCP_OPTION_LENGTH_TOO_SMALL));
        assertTrue(sent.isEmpty());
    }

    @Test
    void synWithFinIsIllegal() {
        receive(packet(REMOTE, LOCAL, 40000, 80, Segment.SYN | Segment.FIN, null, 0));
        assertEquals(1, counters.get(TcpDrop.ILLEGAL_FLAGS));
        assertEquals(1, counters.get(TcpControl.ILLEGAL_SYN_FIN));
        assertTrue(sent.isEmpty());
    }

    @Test
    @Rfc9293({"MUST-57", "MUST-63"})
    void broadcastMulticastAndPortZeroAreNeverAnswered() {
        receive(packet(0xFFFFFFFF, LOCAL, 40000, 80, Segment.SYN, null, 0));
        receive(packet(REMOTE, 0xE0000001, 40000, 80, Segment.SYN, null, 0));
        receive(packet(REMOTE, LOCAL, 0, 80, Segment.SYN, null, 0));
        assertEquals(3, counters.get(TcpDrop.BAD_ADDRESS));
        assertTrue(sent.isEmpty());
    }

    @Test
    void nullScanToAClosedPortGetsReset() {
        receive(packet(REMOTE, LOCAL, 40000, 81, 0, null, 0));
        assertEquals(1, sent.size());
        assertEquals(Segment.RST | Segment.ACK, sent.get(0).flags);
        assertEquals(1000, sent.get(0).ack);
    }

    @Property(tries = 300)
    @Rfc9293({"MUST-1", "MUST-2", "MUST-5"})
    void wireOutputAndInputAreInverse(@ForAll int seq, @ForAll int ack, @ForAll @IntRange(min = 0, max = 255) int flags,
                                      @ForAll @IntRange(min = 0, max = 65535) int window,
                                      @ForAll @IntRange(min = -1, max = 65535) int mss,
                                      @ForAll @IntRange(min = -1, max = 14) int wscale,
                                      @ForAll boolean sackOk, @ForAll boolean ts, @ForAll int tsVal,
                                      @ForAll @IntRange(min = 0, max = 1400) int dataLength) {
        if ((flags & Segment.SYN) != 0 && (flags & (Segment.FIN | Segment.RST)) != 0) {
            flags &= ~Segment.SYN;
        }
        Segment out = new Segment();
        out.sourceAddress = REMOTE;
        out.destinationAddress = LOCAL;
        out.sourcePort = 1234;
        out.destinationPort = 4321;
        out.seq = seq;
        out.ack = ack;
        out.flags = flags;
        out.window = window;
        out.mss = mss;
        out.windowScale = wscale;
        out.sackPermitted = sackOk;
        out.hasTimestamps = ts;
        out.tsVal = ts ? tsVal : 0;
        out.tsEcr = ts ? ~tsVal : 0;
        ByteBuf data = Unpooled.buffer(dataLength + 5);
        for (int i = 0; i < dataLength + 5; i++) {
            data.writeByte(i * 7);
        }
        out.data = data;
        out.dataIndex = 5;
        out.dataLength = dataLength;
        List<ByteBuf> packets = new ArrayList<>();
        new WireTcpOutput(Unpooled.buffer(0).alloc(), packets::add).send(out);
        data.release();
        Segment[] parsed = new Segment[1];
        TcpLayer probe = new TcpLayer(TestAllocator.config(), new TimerQueue(new VirtualClock()), new Counters(), s -> { });
        TcpInput in = new TcpInput(probe);
        // Capture what TcpInput builds by listening to the trace (segmentIn precedes any processing).
        probe.setTraceListener(new TcpTraceListener() {
            @Override
            public void segmentIn(long nanos, Connection c, Segment s, TcpState state) {
                Segment copy = new Segment().copyFrom(s);
                byte[] bytes = new byte[s.dataLength];
                if (s.dataLength > 0) {
                    s.data.getBytes(s.dataIndex, bytes);
                }
                copy.data = Unpooled.wrappedBuffer(bytes);
                copy.dataIndex = 0;
                parsed[0] = copy;
            }
        });
        ByteBuf p = packets.get(0);
        try {
            in.receive(REMOTE, LOCAL, p, Ipv4Header.MIN_LENGTH, p.readableBytes() - Ipv4Header.MIN_LENGTH);
        } finally {
            p.release();
        }
        Segment back = parsed[0];
        assertEquals(out.seq, back.seq);
        assertEquals(out.ack, back.ack);
        assertEquals(out.flags, back.flags);
        assertEquals(out.window, back.window);
        assertEquals(out.mss, back.mss);
        assertEquals(out.windowScale, back.windowScale);
        assertEquals(out.sackPermitted, back.sackPermitted);
        assertEquals(out.hasTimestamps, back.hasTimestamps);
        assertEquals(out.tsVal, back.tsVal);
        assertEquals(out.tsEcr, back.tsEcr);
        assertEquals(dataLength, back.dataLength);
        for (int i = 0; i < dataLength; i++) {
            assertEquals((byte) ((i + 5) * 7), back.data.getByte(i));
        }
    }
}
