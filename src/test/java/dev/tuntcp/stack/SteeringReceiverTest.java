package dev.tuntcp.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.ip.TransportReceiver;
import dev.tuntcp.link.TunWaiter;
import dev.tuntcp.wire.InternetChecksum;
import dev.tuntcp.wire.Ipv4Address;
import dev.tuntcp.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over between the loops of a multi-queue host, without a kernel: a TCP datagram that arrives
 * on the loop owning its connection goes straight to that loop's TCP; one owned by another loop goes
 * through the owner's mailbox and arrives there once, with its checksum flag; ICMP errors follow the
 * quoted connection; a full mailbox drops and counts, never leaks.
 */
class SteeringReceiverTest {
    private static final int KERNEL = Ipv4Address.parse("10.13.0.1");
    private static final int STACK = Ipv4Address.parse("10.13.0.2");

    private final FlowSteering steering = new FlowSteering(2, 0x5eed, 0xfeed);
    private final Recorder[] tcp = {new Recorder(), new Recorder()};
    private final Counters[] counters = {new Counters(), new Counters()};
    private final TunWaiter[] waiters = {TunWaiter.wakeupOnly(), TunWaiter.wakeupOnly()};
    private final SegmentMailbox[] mailboxes = {new SegmentMailbox(waiters[0]), new SegmentMailbox(waiters[1])};
    private final EventLoop[] loops = {EventLoop.manual(new VirtualClock()), EventLoop.manual(new VirtualClock())};
    private final SteeringReceiver onLoop0;

    SteeringReceiverTest() {
        for (int i = 0; i < 2; i++) {
            mailboxes[i].deliverTo(tcp[i], counters[i]);
        }
        onLoop0 = new SteeringReceiver(0, steering, tcp[0], counters[0], mailboxes, tcp, loops);
    }

    @AfterEach
    void close() {
        for (int i = 0; i < 2; i++) {
            mailboxes[i].close();
            waiters[i].close();
        }
    }

    /** A kernel source port whose connection to STACK:80 the given loop owns. */
    private int portOwnedBy(int loop) {
        for (int port = 40000; ; port++) {
            if (steering.owner(KERNEL, port, STACK, 80) == loop) {
                return port;
            }
        }
    }

    @Test
    void aDatagramItsLoopOwnsGoesStraightToThatLoopsTcp() {
        int port = portOwnedBy(0);
        deliver(onLoop0, segment(KERNEL, port, STACK, 80), false);
        assertEquals(List.of(port + " plain"), tcp[0].segments);
        assertEquals(0, counters[0].get(SteeringCounter.HANDED_OVER));
        assertEquals(0, mailboxes[1].drain(), "nothing for loop 1");
    }

    @Test
    void aDatagramAnotherLoopOwnsArrivesThereOnceWithItsChecksumFlag() {
        int port = portOwnedBy(1);
        deliver(onLoop0, segment(KERNEL, port, STACK, 80), true);
        deliver(onLoop0, segment(KERNEL, port, STACK, 80), false);
        assertTrue(tcp[0].segments.isEmpty(), "not for loop 0: " + tcp[0].segments);
        assertEquals(2, counters[0].get(SteeringCounter.HANDED_OVER));
        assertEquals(2, mailboxes[1].drain());
        assertEquals(List.of(port + " trusted", port + " plain"), tcp[1].segments);
        assertEquals(2, counters[1].get(SteeringCounter.TAKEN_OVER));
        assertEquals(0, mailboxes[1].drain(), "each once");
    }

    @Test
    void anIcmpErrorGoesToTheLoopOwningTheQuotedConnection() {
        int port = portOwnedBy(1);
        // The quote is a segment we sent: from STACK:80 to the kernel's port (the other direction).
        ByteBuf quote = segment(STACK, 80, KERNEL, port);
        try {
            onLoop0.onIcmpError(3, 4, 1400, quote, 0, 28);
        } finally {
            quote.release();
        }
        assertEquals(0, tcp[0].icmpErrors);
        assertEquals(1, counters[0].get(SteeringCounter.ICMP_ERRORS_HANDED_OVER));
        loops[1].runUntilIdle();
        assertEquals(List.of("3/4 mtu 1400 port " + port), tcp[1].icmp);
    }

    @Test
    void aFullMailboxDropsAndCountsWithoutLeaking() {
        int port = portOwnedBy(1);
        for (int i = 0; i < SegmentMailbox.CAPACITY; i++) {
            deliver(onLoop0, segment(KERNEL, port, STACK, 80), false);
        }
        ByteBuf extra = segment(KERNEL, port, STACK, 80);
        extra.retain(); // to see that the receiver released its reference
        deliver(onLoop0, extra, false);
        assertEquals(1, counters[0].get(SteeringCounter.MAILBOX_FULL));
        assertEquals(1, extra.refCnt(), "the dropped datagram was released");
        extra.release();
        assertEquals(SegmentMailbox.CAPACITY, mailboxes[1].close(), "close releases what is left");
        assertFalse(tcp[1].segments.size() > 0);
    }

    @Test
    void aSegmentTooShortToNameItsPortsStaysWhereItIs() {
        ByteBuf b = ipv4(KERNEL, STACK, new byte[] {1, 2});
        deliver(onLoop0, b, false);
        assertEquals(1, tcp[0].segments.size(), "TCP input drops it with its own reason");
    }

    private static void deliver(TransportReceiver receiver, ByteBuf packet, boolean trusted) {
        Ipv4Header ip = new Ipv4Header();
        assertFalse(ip.wrap(packet, packet.readerIndex(), packet.readableBytes()).isError());
        receiver.onSegment(ip, packet, trusted);
    }

    /** IPv4 + the first 8 bytes of a TCP header: enough for the ports and an ICMP quote. */
    private static ByteBuf segment(int src, int srcPort, int dst, int dstPort) {
        byte[] tcp = new byte[8];
        tcp[0] = (byte) (srcPort >>> 8);
        tcp[1] = (byte) srcPort;
        tcp[2] = (byte) (dstPort >>> 8);
        tcp[3] = (byte) dstPort;
        return ipv4(src, dst, tcp);
    }

    private static ByteBuf ipv4(int src, int dst, byte[] payload) {
        ByteBuf b = Unpooled.buffer(20 + payload.length);
        b.writeByte(0x45).writeByte(0).writeShort(20 + payload.length).writeShort(1).writeShort(0x4000);
        b.writeByte(64).writeByte(6).writeShort(0).writeInt(src).writeInt(dst);
        b.setShort(10, InternetChecksum.checksum(b, 0, 20));
        b.writeBytes(payload);
        return b;
    }

    /** A TCP that records what reaches it and releases each datagram. */
    private static final class Recorder implements TransportReceiver {
        final List<String> segments = new ArrayList<>();
        final List<String> icmp = new ArrayList<>();
        int icmpErrors;

        @Override
        public void onSegment(Ipv4Header ip, ByteBuf packet) {
            onSegment(ip, packet, false);
        }

        @Override
        public void onSegment(Ipv4Header ip, ByteBuf packet, boolean checksumTrusted) {
            int port = ip.payloadLength() >= 2 ? packet.getUnsignedShort(ip.payloadOffset()) : -1;
            segments.add((port < 0 ? "short" : String.valueOf(port)) + (checksumTrusted ? " trusted" : " plain"));
            packet.release();
        }

        @Override
        public void onIcmpError(int type, int code, int rest, ByteBuf quote, int offset, int length) {
            icmpErrors++;
            icmp.add(type + "/" + code + " mtu " + rest + " port " + quote.getUnsignedShort(offset + 22));
        }
    }
}
