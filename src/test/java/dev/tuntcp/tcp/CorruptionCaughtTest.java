package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.ip.Ipv4Config;
import dev.tuntcp.link.ImpairedPath;
import dev.tuntcp.link.Impairment;
import dev.tuntcp.link.SimLink;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.Stack;
import dev.tuntcp.stack.TcpStack;
import dev.tuntcp.stack.VirtualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Impairment's corruption is caught by the receiver's checksums (issue 7 item 6): every packet is
 * corrupted (corrupt=1) on its way into a whole stack (IPv4 input, TCP input, a listener on port
 * 80); for each one the flipped bit is located against the original, and the receiver must count
 * exactly one drop for it — a TCP checksum failure when the bit is in the TCP segment, an IPv4
 * header error (its checksum, or a structural check that comes first) when it is in the IP header
 * — and never answer it.
 */
class CorruptionCaughtTest {
    private static final int A = 0x0A000001;
    private static final int B = 0x0A000002;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void everyCorruptedPacketIsDroppedByAChecksumAndCounted(long seed) {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        Counters countersB = new Counters();
        int tcpFlips = 0;
        int ipFlips = 0;
        try (SimLink wire = SimLink.create(loop.timers(), 1500)) {
            Stack b = new Stack(loop, wire.b(), new Ipv4Config(B, 24), countersB, alloc, 2L);
            TcpStack tcpB = new TcpStack(b, TestAllocator.config());
            tcpB.tcp().listen(B, 80, () -> new StreamPeer("server", 0, StreamPeer.Start.NEVER, false, 1));
            wire.a().setReceiver(p -> {
                throw new AssertionError("the stack answered a corrupted packet");
            });
            ByteBuf[] original = new ByteBuf[1];
            int[] flippedAt = {-1};
            ImpairedPath corrupting = new ImpairedPath(Impairment.parse("corrupt=1,seed=" + seed), 0, loop.timers(), p -> {
                flippedAt[0] = firstDifference(original[0], p);
                wire.a().send(p);
            });
            WireTcpOutput builder = new WireTcpOutput(alloc, p -> {
                original[0] = Unpooled.copiedBuffer(p);
                corrupting.offer(p);
            });
            for (int i = 0; i < 400; i++) {
                Map<String, Long> before = countersB.snapshot();
                Segment seg = segment(i);
                builder.send(seg);
                if (seg.data != null) {
                    seg.data.release();
                }
                loop.advanceBy(1_000_000);
                Map<String, Long> delta = delta(before, countersB.snapshot());
                original[0].release();
                int at = flippedAt[0];
                assertTrue(at >= 0, "packet " + i + " was corrupted");
                if (at >= 20) {
                    tcpFlips++;
                    assertEquals(1L, delta.get("ParseError.TCP_BAD_CHECKSUM"), "flip at byte " + at + ": " + delta);
                    assertEquals(1L, delta.get("TcpDrop.BAD_CHECKSUM"), "flip at byte " + at + ": " + delta);
                } else {
                    ipFlips++;
                    long ipErrors = delta.entrySet().stream()
                            .filter(e -> e.getKey().startsWith("ParseError.IPV4_") || e.getKey().startsWith("Ipv4Drop."))
                            .mapToLong(Map.Entry::getValue).sum();
                    assertEquals(1L, ipErrors, "flip at byte " + at + ": " + delta);
                    assertEquals(null, delta.get("TcpStat.SEGMENTS_IN"), "flip at byte " + at + ": " + delta);
                }
                assertEquals(null, delta.get("TcpStat.SEGMENTS_OUT"), "nothing answered: " + delta);
            }
            assertEquals(0, tcpB.tcp().connectionCount());
            corrupting.close();
            b.close();
        }
        assertTrue(tcpFlips > 200 && ipFlips > 0, "flips landed in both headers and data: tcp " + tcpFlips + ", ip " + ipFlips);
        assertEquals(400, countersB.get(dev.tuntcp.wire.ParseError.TCP_BAD_CHECKSUM)
                + countersB.snapshot().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("ParseError.IPV4_") || e.getKey().startsWith("Ipv4Drop."))
                        .mapToLong(Map.Entry::getValue).sum(), "all 400 counted as drops");
        assertEquals(0, alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory(), "packet memory leaked");
    }

    /** A SYN (sometimes with data, as RFC 9293 allows) from A to B's port 80: it would be answered if accepted. */
    private static Segment segment(int i) {
        Segment s = new Segment();
        s.sourceAddress = A;
        s.destinationAddress = B;
        s.sourcePort = 40000 + i;
        s.destinationPort = 80;
        s.seq = i * 7919;
        s.flags = Segment.SYN;
        s.window = 65535;
        s.mss = 1460;
        int length = (i * 37) % 600;
        if (length > 0) {
            ByteBuf data = Unpooled.buffer(length);
            for (int k = 0; k < length; k++) {
                data.writeByte(k * 31 + i);
            }
            s.data = data;
            s.dataIndex = 0;
            s.dataLength = length;
        }
        return s;
    }

    private static int firstDifference(ByteBuf a, ByteBuf b) {
        int n = Math.min(a.readableBytes(), b.readableBytes());
        for (int i = 0; i < n; i++) {
            if (a.getByte(a.readerIndex() + i) != b.getByte(b.readerIndex() + i)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new HashMap<>();
        after.forEach((k, v) -> {
            long diff = v - before.getOrDefault(k, 0L);
            if (diff != 0) {
                d.put(k, diff);
            }
        });
        return d;
    }
}
