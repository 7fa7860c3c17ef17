package dev.tuntcp.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.ip.Ipv4Config;
import dev.tuntcp.link.SimLink;
import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TcpDrop;
import dev.tuntcp.tcp.TcpStat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SimLink#createWithOffload}: two whole stacks exchange data over a link that acts like a TUN
 * device with segmentation and checksum offload — TCP sends 64 KiB super-segments that cross whole,
 * the receiver takes them unverified (trusted) — and every byte arrives intact (SHA-256 both ends).
 * Pooled buffers under the suite's leak detector.
 */
class OffloadSimLinkTest {
    private static final int A = 0x0A0D0001;
    private static final int B = 0x0A0D0002;

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = {1500, 9000})
    void superSegmentsCrossWholeAndEveryByteArrives(int mtu) throws Exception {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        SimLink link = SimLink.createWithOffload(loop.timers(), mtu);
        PooledByteBufAllocator alloc = new PooledByteBufAllocator(true);
        TcpConfig config = new TcpConfig().mss(mtu - 40).allocator(alloc)
                .segmentationOffload(link.a().segmentationOffload());
        TcpStack tcpA = new TcpStack(new Stack(loop, link.a(), new Ipv4Config(A, 24), new Counters(), alloc, 1L), config);
        TcpStack tcpB = new TcpStack(new Stack(loop, link.b(), new Ipv4Config(B, 24), new Counters(), alloc, 2L), config);
        long total = 3L << 20;
        Sender sender = new Sender(total);
        Receiver receiver = new Receiver();
        try {
            tcpB.listen(80, () -> receiver);
            tcpA.connect(B, 80, sender);
            assertTrue(loop.advanceUntil(() -> receiver.eof, TimeUnit.SECONDS.toNanos(60)), "transfer finished");
            assertEquals(total, receiver.received);
            assertArrayEquals(sender.digest.digest(), receiver.digest.digest(), "A → B SHA-256");
            Counters a = tcpA.stack().counters();
            Counters b = tcpB.stack().counters();
            assertTrue(a.get(TcpStat.SUPER_SEGMENTS_OUT) > 0, "super-segments sent: " + a.snapshot());
            assertTrue(a.get(TcpStat.SEGMENTS_OUT) < total / (mtu - 40 - 12), "fewer segments than MSS-sized ones");
            assertEquals(0, b.get(TcpDrop.BAD_CHECKSUM));
            assertEquals(0, a.get(TcpStat.RETRANSMITS));
        } finally {
            tcpA.close();
            tcpB.close();
            link.close();
        }
    }

    @Test
    void aLinkWithoutOffloadSaysSo() {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        try (SimLink plain = SimLink.create(loop.timers(), 1500);
             SimLink offload = SimLink.createWithOffload(loop.timers(), 1500)) {
            assertEquals(0, plain.a().segmentationOffload());
            assertEquals(65535, offload.a().segmentationOffload());
        }
    }

    /** Writes {@code total} pseudo-random bytes, hashing them, then half-closes. */
    private static final class Sender implements ConnectionHandler {
        final MessageDigest digest = sha256();
        private final Random random = new Random(9);
        private final ByteBuf chunk = Unpooled.buffer(50_000);
        private final long total;
        private long written;
        private boolean shut;

        Sender(long total) {
            this.total = total;
        }

        @Override
        public void onOpen(TcpChannel ch) {
            onWritable(ch);
        }

        @Override
        public void onReadable(TcpChannel ch) {
        }

        @Override
        public void onWritable(TcpChannel ch) {
            while (written < total) {
                if (!chunk.isReadable()) {
                    byte[] bytes = new byte[(int) Math.min(chunk.capacity(), total - written)];
                    random.nextBytes(bytes);
                    digest.update(bytes);
                    chunk.clear().writeBytes(bytes);
                }
                int taken = ch.write(chunk);
                written += taken;
                if (chunk.isReadable()) {
                    return;
                }
            }
            if (!shut) {
                shut = true;
                ch.shutdownOutput();
            }
        }

        @Override
        public void onClosed(TcpChannel ch, CloseReason reason) {
        }
    }

    /** Reads and hashes everything; half-closes at the peer's FIN. */
    private static final class Receiver implements ConnectionHandler {
        final MessageDigest digest = sha256();
        long received;
        boolean eof;

        @Override
        public void onOpen(TcpChannel ch) {
            onReadable(ch);
        }

        @Override
        public void onReadable(TcpChannel ch) {
            for (ByteBuf b; (b = ch.read(1 << 20)) != null; ) {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                digest.update(bytes);
                received += bytes.length;
            }
            if (ch.isInputShutdown() && !eof) {
                eof = true;
                ch.shutdownOutput();
            }
        }

        @Override
        public void onWritable(TcpChannel ch) {
        }

        @Override
        public void onClosed(TcpChannel ch, CloseReason reason) {
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
