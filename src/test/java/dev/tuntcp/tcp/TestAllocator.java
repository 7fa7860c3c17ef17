package dev.tuntcp.tcp;

import io.netty.buffer.PooledByteBufAllocator;

/**
 * The pooled allocator TCP's tests use: a private instance, so that their traffic does not change
 * the thread caches of {@link PooledByteBufAllocator#DEFAULT} that other tests in the same JVM measure
 * (e.g. allocation-free guards). Leak tracking applies to it as to any pooled allocator.
 */
final class TestAllocator {
    static final PooledByteBufAllocator POOLED = new PooledByteBufAllocator(true);

    private TestAllocator() {
    }

    /**
     * A TcpConfig whose reads come from {@link #POOLED}, acknowledging every segment at once (delayed
     * ACKs off), so scripts see each ACK right after the segment that caused it; tests of delayed
     * ACKs turn them on explicitly.
     */
    static TcpConfig config() {
        return new TcpConfig().allocator(POOLED).delayedAckNanos(0);
    }
}
