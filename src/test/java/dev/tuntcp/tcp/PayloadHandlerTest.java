package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Impairment;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.socket.PayloadHandler;
import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link PayloadHandler}: in-order data is lent out of the received packet instead of copied, the
 * bytes the application sees are exactly the bytes sent (SHA-256 both ends) whichever way they come
 * (lent, or read after waiting in the receive buffer), what a handler leaves unread is read later,
 * slices it keeps stay intact while the stack goes on, and no buffer leaks (pooled buffers under the
 * suite's PARANOID leak detector, or an unpooled allocator whose memory must all come back).
 */
class PayloadHandlerTest {
    private static final int PORT = 80;
    private static final long MB = 1 << 20;
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** How much of each lent payload the test application takes. */
    enum Take { ALL, AT_MOST_100, NOTHING, KEEP_SLICES }

    /** Receives with {@link PayloadHandler}; hashes everything, counts how each byte came. */
    static final class LendingReader implements PayloadHandler {
        private final Take take;
        private final MessageDigest digest = sha256();
        private final List<ByteBuf> kept = new ArrayList<>();
        long lent;
        long read;
        long payloadCalls;
        boolean sawEof;
        CloseReason closed;

        LendingReader(Take take) {
            this.take = take;
        }

        @Override
        public void onPayload(TcpChannel channel, ByteBuf payload) {
            payloadCalls++;
            int n = switch (take) {
                case ALL, KEEP_SLICES -> payload.readableBytes();
                case AT_MOST_100 -> Math.min(100, payload.readableBytes());
                case NOTHING -> 0;
            };
            if (take == Take.KEEP_SLICES) {
                kept.add(payload.readRetainedSlice(n)); // hashed at the end: must still hold these bytes
            } else {
                byte[] bytes = new byte[n];
                payload.readBytes(bytes);
                digest.update(bytes);
            }
            lent += n;
        }

        @Override
        public void onOpen(TcpChannel channel) {
            onReadable(channel);
        }

        @Override
        public void onReadable(TcpChannel channel) {
            for (ByteBuf b; (b = channel.read(16384)) != null; ) {
                if (take == Take.KEEP_SLICES) {
                    kept.add(b);
                } else {
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    b.release();
                    digest.update(bytes);
                }
                read += b.writerIndex();
            }
            if (channel.isInputShutdown() && !sawEof) {
                sawEof = true;
                channel.shutdownOutput();
            }
        }

        @Override
        public void onWritable(TcpChannel channel) {
        }

        @Override
        public void onClosed(TcpChannel channel, CloseReason reason) {
            closed = reason;
        }

        byte[] hash() {
            for (ByteBuf b : kept) {
                byte[] bytes = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), bytes);
                digest.update(bytes);
                b.release();
            }
            kept.clear();
            return digest.digest();
        }
    }

    private static LendingReader transfer(WirePair pair, long bytes, Take take, long seed) {
        StreamPeer client = new StreamPeer("client", bytes, StreamPeer.Start.ON_OPEN, true, seed);
        LendingReader server = new LendingReader(take);
        pair.b.listen(WirePair.ADDRESS_B, PORT, () -> server);
        pair.a.connect(WirePair.ADDRESS_A, WirePair.ADDRESS_B, PORT, client);
        pair.runUntil(() -> client.closed != null && server.closed != null, 60 * MINUTE);
        assertEquals(CloseReason.CLOSED, client.closed);
        assertEquals(CloseReason.CLOSED, server.closed);
        assertEquals(bytes, server.lent + server.read, "bytes that reached the application");
        assertArrayEquals(client.sentHash(), server.hash(), "client → server SHA-256");
        return server;
    }

    @Test
    void onACleanLinkEveryByteIsLentAndNoneCopied() {
        try (WirePair pair = new WirePair(TestAllocator.config(), Impairment.NONE)) {
            LendingReader server = transfer(pair, 2 * MB + 17, Take.ALL, 1);
            assertEquals(0, server.read, "nothing waited in the receive buffer");
            assertTrue(server.payloadCalls >= (2 * MB) / 1460, "one lent payload per segment: " + server.payloadCalls);
        }
    }

    @Test
    void dataBehindAGapWaitsInTheReceiveBufferAndIsReadInOrder() {
        // Loss and reordering: segments after a hole are held in the receive buffer's free space
        // (OutOfOrderQueue) and read with read() once it fills; the rest is lent.
        Impairment impairment = new Impairment(0.02, 0, 0.03, TimeUnit.MILLISECONDS.toNanos(1), 0, 5);
        try (WirePair pair = new WirePair(TestAllocator.config(), impairment)) {
            LendingReader server = transfer(pair, MB, Take.ALL, 2);
            assertTrue(server.lent > 0, "lent: " + server.lent);
            assertTrue(server.read > 0, "read after a gap filled: " + server.read);
            assertTrue(pair.countersB.get(TcpStat.OUT_OF_ORDER_QUEUED) > 0);
        }
    }

    @Test
    void whatTheHandlerLeavesUnreadIsReadAfterwards() {
        try (WirePair pair = new WirePair(TestAllocator.config(), Impairment.NONE)) {
            LendingReader server = transfer(pair, MB, Take.AT_MOST_100, 3);
            assertTrue(server.lent > 0 && server.read > 0, "lent " + server.lent + ", read " + server.read);
        }
    }

    @Test
    void aHandlerThatTakesNothingReadsEverythingAsBefore() {
        try (WirePair pair = new WirePair(TestAllocator.config(), Impairment.NONE)) {
            LendingReader server = transfer(pair, MB, Take.NOTHING, 4);
            assertEquals(0, server.lent);
            assertEquals(0, pair.countersB.get(TcpDrop.BEYOND_WINDOW), "the window kept room for lent bytes");
        }
    }

    /**
     * Retained slices pin the received packet: with packet buffers reused by the sender once the link
     * lets go (leak detection off, as in serve), a kept slice's bytes must not change when later
     * segments are built. Unpooled memory, counted, must all come back after the slices are released.
     */
    @Test
    void keptSlicesStayIntactAndAllMemoryComesBack() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED); // packet reuse is on only so
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        try {
            try (WirePair pair = new WirePair(TestAllocator.config().allocator(alloc), Impairment.NONE, alloc)) {
                LendingReader server = transfer(pair, MB, Take.KEEP_SLICES, 5);
                assertTrue(server.lent > 0);
            }
            assertEquals(0, alloc.metric().usedDirectMemory(), "direct packet memory leaked");
            assertEquals(0, alloc.metric().usedHeapMemory(), "heap memory leaked");
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
