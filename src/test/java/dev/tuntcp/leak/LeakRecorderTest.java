package dev.tuntcp.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the leak gate works: a buffer dropped without release is reported. */
class LeakRecorderTest {

    @Test
    void anUnreleasedBufferIsReported() {
        LeakRecorder.install();
        int before = LeakRecorder.leakCount();
        leakOneBuffer();
        for (int attempt = 0; attempt < 10 && LeakRecorder.leakCount() == before; attempt++) {
            LeakRecorder.collectAndScan();
        }
        List<String> reports = LeakRecorder.forgetSince(before);
        assertFalse(reports.isEmpty(), "the deliberately leaked buffer was not reported");
        assertTrue(reports.get(0).contains("release() was not called"), reports.get(0));
        assertEquals(before, LeakRecorder.leakCount());
    }

    @Test
    void aReleasedBufferIsNotReported() {
        LeakRecorder.install();
        int before = LeakRecorder.leakCount();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
        buf.release();
        LeakRecorder.collectAndScan();
        assertEquals(before, LeakRecorder.leakCount());
    }

    private static void leakOneBuffer() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeInt(7);
        // deliberately not released
    }
}
