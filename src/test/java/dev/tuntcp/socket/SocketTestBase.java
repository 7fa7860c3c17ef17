package dev.tuntcp.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link LoopbackStack} per test, application threads, and the end-of-test hygiene checks. A
 * blocking bug must fail a test, not hang the build: every test has a time limit.
 */
@Timeout(60)
abstract class SocketTestBase {
    static final SocketOptions SMALL = SocketOptions.DEFAULT.withReceiveBufferSize(4096).withSendBufferSize(3000);

    final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    LoopbackStack stack;
    ExecutorService threads;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startStack() {
        stack = new LoopbackStack(2500, allocator);
        threads = Executors.newCachedThreadPool();
    }

    /**
     * Closes what the test left open, then checks: every connection ended on both sides, no handler
     * or contract failure on the loop, and every buffer the channels handed out was released.
     */
    @AfterEach
    void stopStack() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "application threads did not finish");
        assertTrue(stack.awaitAllClosed(10_000), "connections still open at the end of the test");
        stack.close();
        assertEquals(List.of(), stack.failures());
        assertEquals(0, allocator.metric().usedHeapMemory(), "buffers handed out by read() not released");
    }

    <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    TcpServerSocket listen(int port) throws IOException {
        return closeLater(TcpServerSocket.bind(stack, port, SMALL));
    }

    TcpSocket connect(int port) throws IOException {
        return closeLater(TcpSocket.connect(stack, "10.13.0.2", port, SMALL.withConnectTimeoutMillis(10_000)));
    }

    <T> Future<T> inThread(java.util.concurrent.Callable<T> body) {
        return threads.submit(body);
    }

    static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[1777];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(out, got, n - got);
            if (r < 0) {
                throw new java.io.EOFException("after " + got + " of " + n);
            }
            got += r;
        }
        return out;
    }
}
