package dev.tuntcp.ip;

import static dev.tuntcp.ip.IpHarness.PEER;
import static dev.tuntcp.ip.IpHarness.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.wire.InternetChecksum;
import dev.tuntcp.wire.Ipv4HeaderWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The ping path (validate, answer in place, send) allocates nothing per packet (DESIGN §3). Counts
 * bytes allocated by this thread; not a timing test.
 */
class EchoPathAllocationTest {
    private static final int ITERATIONS = 100_000;
    /** Untracked: the leak detector's own records are not the code under test. */
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);

    /** A link that keeps the reply so the test can turn it back into the next request. */
    private static final class Reflector implements LinkDevice {
        ByteBuf last;

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void setReceiver(PacketReceiver receiver) {
        }

        @Override
        public void send(ByteBuf packet) {
            last = packet;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void answeringPingAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Counters counters = new Counters();
        Reflector link = new Reflector();
        Ipv4Config config = new Ipv4Config(US, 24);
        Ipv4Output output = new Ipv4Output(link, config, counters, UNTRACKED, new IpIdGenerator(1));
        VirtualClock clock = new VirtualClock();
        FragmentReassembler reassembler = new FragmentReassembler(new TimerQueue(clock), counters, UNTRACKED,
                FragmentReassembler.Limits.defaults());
        Ipv4Input input = new Ipv4Input(config, output, reassembler, counters, IcmpRateLimiter.defaults(clock));
        ByteBuf packet = IpHarness.echoRequest(1, 0, new byte[56], 1, 0, 0);
        ByteBuf request = UNTRACKED.directBuffer(packet.readableBytes());
        request.writeBytes(packet);
        packet.release();
        try {
            for (int i = 0; i < ITERATIONS; i++) { // warm up
                request = roundTrip(input, link, request);
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < ITERATIONS; i++) {
                request = roundTrip(input, link, request);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 4096, "allocated " + allocated + " bytes over " + ITERATIONS + " pings");
            assertEquals(2L * ITERATIONS, counters.get(Ipv4Stat.ECHO_REQUESTS));
        } finally {
            request.release();
        }
    }

    /** Hands the request in, checks the reply came back in the same buffer, makes it a request again. */
    private static ByteBuf roundTrip(Ipv4Input input, Reflector link, ByteBuf request) {
        input.onPacket(request); // ownership to the stack, and with the reply back to us via the link
        ByteBuf reply = link.last;
        if (reply != request || reply.getUnsignedByte(20) != 0) {
            throw new AssertionError("reply not built in place");
        }
        int total = reply.readableBytes();
        reply.setByte(20, 8);
        reply.setShort(22, 0);
        reply.setShort(22, InternetChecksum.checksum(reply, 20, total - 20));
        Ipv4HeaderWriter.write(reply, 0, 0, total, 1, false, 64, 1, PEER, US);
        return reply;
    }
}
