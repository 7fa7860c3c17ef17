package dev.tuntcp.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.stack.TcpStack;
import dev.tuntcp.tcp.Connection;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TcpState;
import dev.tuntcp.testing.IgnoringHandler;
import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.wire.InternetChecksum;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.ParseError;
import dev.tuntcp.wire.SegmentBuilder;
import dev.tuntcp.wire.TcpFlags;
import dev.tuntcp.wire.TcpHeader;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.9.2 (TCP/lower-level interface): TCP in a whole stack ({@link TcpStack} on the IPv4
 * layer) and the IP options and ICMP errors that reach it. The peer is played by hand-built packets.
 */
class Rfc9293IpTest {
    private static final int PEER = IpHarness.PEER;
    private static final int US = IpHarness.US;

    private static final ConnectionHandler QUIET = IgnoringHandler.INSTANCE;

    /** What the stack sent, read back: flags, SEQ, ACK, and the first 28 octets (for an ICMP quote). */
    private record Sent(int flags, int seq, int ack, byte[] quote) {
    }

    private static ByteBuf segment(int flags, int seq, int ack, int payload) {
        ByteBuf data = IpHarness.ALLOC.heapBuffer(payload).writeZero(payload);
        SegmentBuilder b = new SegmentBuilder().addresses(PEER, US).ports(40000, 80).seq(seq).ack(ack).flags(flags)
                .window(65535).payload(data, 0, payload);
        if ((flags & TcpFlags.SYN) != 0) {
            b.options(new TcpOptions().mss(1460));
        }
        ByteBuf out = IpHarness.ALLOC.heapBuffer(b.length());
        b.write(out);
        data.release();
        return out;
    }

    /** {@code packet} (owned) rebuilt with 8 octets of IP options: Record Route (RFC 791) then EOL. */
    private static ByteBuf withIpOptions(ByteBuf packet) {
        byte[] p = TestPackets.bytes(packet);
        packet.release();
        ByteBuf out = IpHarness.ALLOC.heapBuffer(p.length + 8);
        out.writeBytes(p, 0, 20);
        out.writeBytes(new byte[] {7, 7, 4, 0, 0, 0, 0, 0});
        out.writeBytes(p, 20, p.length - 20);
        out.setByte(0, 0x47);
        out.setShort(2, p.length + 8);
        out.setShort(10, 0);
        out.setShort(10, InternetChecksum.checksum(out, 0, 28));
        return out;
    }

    /** An ICMP error of {@code type}/{@code code} from the peer quoting {@code quote}. */
    private static ByteBuf icmpError(int type, int code, byte[] quote) {
        ByteBuf icmp = IpHarness.ALLOC.heapBuffer();
        icmp.writeByte(type).writeByte(code).writeShort(0).writeInt(0).writeBytes(quote);
        icmp.setShort(2, InternetChecksum.checksum(icmp, 0, icmp.readableBytes()));
        byte[] msg = TestPackets.bytes(icmp);
        icmp.release();
        return TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 1, 9, 0, 0, 64, msg, 0, msg.length);
    }

    private static List<Sent> sent(IpHarness h) {
        List<Sent> out = new ArrayList<>();
        for (ByteBuf b : h.takeSent()) {
            try {
                Ipv4Header ip = new Ipv4Header();
                assertEquals(ParseError.NONE, ip.wrap(b, b.readerIndex(), b.readableBytes()));
                assertEquals(Ipv4Header.PROTOCOL_TCP, ip.protocol(), "only TCP is ever sent back");
                TcpHeader tcp = new TcpHeader();
                assertEquals(ParseError.NONE, tcp.wrap(ip));
                byte[] quote = new byte[28];
                b.getBytes(b.readerIndex(), quote);
                out.add(new Sent(tcp.flags(), tcp.seq(), tcp.ack(), quote));
            } finally {
                b.release();
            }
        }
        return out;
    }

    /** Listens on 80 and completes a handshake from the peer; returns our SYN/ACK. */
    private static Sent establish(IpHarness h, TcpStack tcp, boolean synWithIpOptions) {
        tcp.tcp().listen(US, 80, () -> QUIET);
        ByteBuf syn = segment(TcpFlags.SYN, 1000, 0, 0);
        h.inject(synWithIpOptions ? withIpOptions(syn) : syn);
        List<Sent> out = sent(h);
        assertEquals(1, out.size(), "one SYN/ACK");
        Sent synAck = out.get(0);
        assertEquals(TcpFlags.SYN | TcpFlags.ACK, synAck.flags());
        assertEquals(1001, synAck.ack());
        h.inject(segment(TcpFlags.ACK, 1001, synAck.seq() + 1, 0));
        assertEquals(TcpState.ESTABLISHED, connection(tcp).tcpState());
        return synAck;
    }

    private static Connection connection(TcpStack tcp) {
        return tcp.tcp().find(US, 80, PEER, 40000);
    }

    @Test
    @Rfc9293("MUST-50")
    void ipOptionsTcpDoesNotUnderstandAreIgnored() {
        try (IpHarness h = new IpHarness()) {
            TcpStack tcp = new TcpStack(h.stack, new TcpConfig().delayedAckNanos(0)); // each ACK at once
            Sent synAck = establish(h, tcp, true);
            h.inject(withIpOptions(segment(TcpFlags.ACK | TcpFlags.PSH, 1001, synAck.seq() + 1, 10)));
            List<Sent> out = sent(h);
            assertEquals(1, out.size());
            assertEquals(1011, out.get(0).ack(), "the data in the optioned datagram was taken");
            tcp.close();
        }
    }

    @Test
    @Rfc9293({"MUST-55", "MUST-56"})
    void sourceQuenchAndSoftIcmpErrorsNeverDisturbTheConnection() {
        try (IpHarness h = new IpHarness()) {
            TcpStack tcp = new TcpStack(h.stack, new TcpConfig().delayedAckNanos(0)); // each ACK at once
            Sent synAck = establish(h, tcp, false);
            // Source quench (4), then the soft errors of §3.9.2.2: unreachable 0, 1, 5, time exceeded
            // 0, 1, parameter problem; each quotes the SYN/ACK, so it names this connection.
            int[][] errors = {{4, 0}, {3, 0}, {3, 1}, {3, 5}, {11, 0}, {11, 1}, {12, 0}};
            for (int[] e : errors) {
                h.inject(icmpError(e[0], e[1], synAck.quote()));
                assertEquals(TcpState.ESTABLISHED, connection(tcp).tcpState(), "after ICMP " + e[0] + "/" + e[1]);
                assertTrue(sent(h).isEmpty(), "ICMP " + e[0] + "/" + e[1] + " is not answered");
            }
            h.inject(segment(TcpFlags.ACK | TcpFlags.PSH, 1001, synAck.seq() + 1, 10));
            List<Sent> out = sent(h);
            assertEquals(1, out.size());
            assertEquals(1011, out.get(0).ack(), "the connection still carries data");
            tcp.close();
        }
    }

    @Test
    @Rfc9293("MUST-55")
    void sourceQuenchNeverReachesTheTransport() {
        try (IpHarness h = new IpHarness()) {
            List<String> seen = new ArrayList<>();
            h.stack.ipv4Input().register(6, new TransportReceiver() {
                @Override
                public void onSegment(Ipv4Header ip, ByteBuf packet) {
                    packet.release();
                }

                @Override
                public void onIcmpError(int type, int code, int rest, ByteBuf quote, int offset, int length) {
                    seen.add(type + "/" + code);
                }
            });
            ByteBuf ours = TestPackets.ipv4(IpHarness.ALLOC, US, PEER, 6, 1, 2, 0, 64, new byte[20], 0, 20);
            byte[] quote = new byte[28];
            ours.getBytes(0, quote);
            ours.release();
            h.inject(icmpError(4, 0, quote));
            h.inject(icmpError(3, 3, quote));
            assertEquals(List.of("3/3"), seen, "the quench is discarded silently; a real error is passed on");
            assertTrue(h.takeSent().isEmpty());
        }
    }
}
