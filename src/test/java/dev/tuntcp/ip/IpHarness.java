package dev.tuntcp.ip;

import dev.tuntcp.link.SimLink;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.Stack;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.wire.InternetChecksum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack on one end of a SimLink in virtual time; the test plays the peer on the other end,
 * injecting hand-built packets and collecting what the stack sends.
 */
final class IpHarness implements AutoCloseable {
    static final int PEER = TestPackets.addr(10, 13, 0, 1);
    static final int US = TestPackets.addr(10, 13, 0, 2);
    static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    final VirtualClock clock = new VirtualClock();
    final EventLoop loop = EventLoop.manual(clock);
    final SimLink link;
    final Counters counters = new Counters();
    final Stack stack;
    final List<ByteBuf> sent = new ArrayList<>();

    IpHarness(int mtu) {
        link = SimLink.create(loop.timers(), mtu);
        stack = new Stack(loop, link.b(), new Ipv4Config(US, 24), counters, ALLOC, 1L);
        link.a().setReceiver(sent::add);
    }

    IpHarness() {
        this(1500);
    }

    /** Sends {@code packet} (ownership passes) from the peer and runs the loop until idle. */
    void inject(ByteBuf packet) {
        link.a().send(packet);
        loop.runUntilIdle();
    }

    /** Takes what the stack has sent so far (the caller releases). */
    List<ByteBuf> takeSent() {
        List<ByteBuf> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    static void releaseAll(List<ByteBuf> packets) {
        packets.forEach(ByteBuf::release);
    }

    /** An ICMP echo request from the peer: a whole IPv4 packet with valid checksums. */
    static ByteBuf echoRequest(int id, int seq, byte[] data, int ipId, int flags, int offsetBytes) {
        ByteBuf icmp = ALLOC.heapBuffer(8 + data.length);
        icmp.writeByte(8).writeByte(0).writeShort(0).writeShort(id).writeShort(seq).writeBytes(data);
        icmp.setShort(2, InternetChecksum.checksum(icmp, 0, icmp.readableBytes()));
        byte[] bytes = TestPackets.bytes(icmp);
        icmp.release();
        return TestPackets.ipv4(ALLOC, PEER, US, 1, ipId, flags, offsetBytes, 64, bytes, 0, bytes.length);
    }

    /** The ICMP message (echo request) bytes that {@link #echoRequest} would carry. */
    static byte[] echoMessage(int id, int seq, byte[] data) {
        ByteBuf icmp = ALLOC.heapBuffer(8 + data.length);
        icmp.writeByte(8).writeByte(0).writeShort(0).writeShort(id).writeShort(seq).writeBytes(data);
        icmp.setShort(2, InternetChecksum.checksum(icmp, 0, icmp.readableBytes()));
        byte[] bytes = TestPackets.bytes(icmp);
        icmp.release();
        return bytes;
    }

    /** Reassembles the stack's fragments (test-side, independent of the reassembler): the IP payload. */
    static byte[] joinFragments(List<ByteBuf> fragments) {
        fragments.sort((x, y) -> Integer.compare(x.getUnsignedShort(6) & 0x1fff, y.getUnsignedShort(6) & 0x1fff));
        int total = 0;
        for (ByteBuf f : fragments) {
            total += f.getUnsignedShort(2) - ((f.getUnsignedByte(0) & 0xf) << 2);
        }
        byte[] out = new byte[total];
        for (ByteBuf f : fragments) {
            int hlen = (f.getUnsignedByte(0) & 0xf) << 2;
            int off = (f.getUnsignedShort(6) & 0x1fff) << 3;
            f.getBytes(hlen, out, off, f.getUnsignedShort(2) - hlen);
        }
        return out;
    }

    @Override
    public void close() {
        stack.close();
        link.close();
        releaseAll(sent);
    }
}
