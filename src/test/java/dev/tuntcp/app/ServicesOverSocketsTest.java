package dev.tuntcp.app;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.LoopbackStack;
import dev.tuntcp.socket.SocketOptions;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.socket.TcpSocket;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The services listening on the loopback fake stack, used through blocking sockets on real threads. */
@Timeout(60)
class ServicesOverSocketsTest {
    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    private final Counters counters = new Counters();
    private LoopbackStack stack;
    private ExecutorService threads;
    private final SocketOptions options = SocketOptions.DEFAULT.withReceiveBufferSize(8192)
            .withSendBufferSize(8192).withConnectTimeoutMillis(10_000).withSoTimeoutMillis(20_000);

    @BeforeEach
    void start() throws Exception {
        stack = new LoopbackStack(4000, allocator);
        threads = Executors.newCachedThreadPool();
        stack.runOnLoop(() -> {
            try {
                listenAll(stack);
            } catch (java.net.BindException e) {
                throw new AssertionError(e);
            }
        });
    }

    private void listenAll(SocketStack s) throws java.net.BindException {
        s.listen(HttpService.PORT, new HttpService(counters, allocator, Clock.systemUTC(), 16384, 1 << 20));
        s.listen(EchoService.PORT, new EchoService(counters));
        s.listen(DiscardService.PORT, new DiscardService(counters));
        s.listen(ChargenService.PORT, new ChargenService(counters));
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(stack.awaitAllClosed(10_000), "connections left open");
        stack.close();
        assertEquals(List.of(), stack.failures());
        assertEquals(0, counters.get(ServiceCounter.INTERNAL_ERRORS));
        assertEquals(0, allocator.metric().usedHeapMemory(), "leaked buffers");
    }

    private TcpSocket connect(int port) throws IOException {
        return TcpSocket.connect(stack, "10.13.0.2", port, options);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[3000];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void echoRoundTripsTwoMegabytesLikeNcN() throws Exception {
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(5).nextBytes(data);
        try (TcpSocket s = connect(EchoService.PORT)) {
            Future<byte[]> back = threads.submit(() -> readAll(s.getInputStream()));
            OutputStream out = s.getOutputStream();
            for (int off = 0; off < data.length; off += 10_000) {
                out.write(data, off, Math.min(10_000, data.length - off));
            }
            s.shutdownOutput();
            assertArrayEquals(data, back.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void discardCountsEveryByteAndClosesAfterOurFin() throws Exception {
        try (TcpSocket s = connect(DiscardService.PORT)) {
            byte[] chunk = new byte[50_000];
            for (int i = 0; i < 20; i++) {
                s.getOutputStream().write(chunk);
            }
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
        }
        long[] counted = new long[1];
        stack.runOnLoop(() -> counted[0] = counters.get(ServiceCounter.DISCARD_BYTES));
        assertEquals(1_000_000, counted[0]);
    }

    @Test
    void chargenStreamsUntilWeLeave() throws Exception {
        try (TcpSocket s = connect(ChargenService.PORT)) {
            byte[] lines = new byte[74 * 100];
            int got = 0;
            while (got < lines.length) {
                got += s.getInputStream().read(lines, got, lines.length - got);
            }
            String first = new String(lines, 0, 74, US_ASCII);
            assertEquals("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh\r\n", first);
            s.shutdownOutput(); // chargen answers our FIN with its own
            readAll(s.getInputStream());
        }
    }

    @Test
    void httpKeepAliveOverARealSocket() throws Exception {
        try (TcpSocket s = connect(HttpService.PORT)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /bytes/100000 HTTP/1.1\r\nHost: 10.13.0.2\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: 10.13.0.2\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET / HTTP/1.1\r\nHost: 10.13.0.2\r\nConnection: close\r\n\r\n").getBytes(US_ASCII));
            List<HttpResponseReader.Response> responses =
                    new HttpResponseReader(readAll(s.getInputStream())).readAll();
            assertEquals(3, responses.size());
            byte[] body = responses.get(0).body();
            assertEquals(100_000, body.length);
            for (int i = 0; i < body.length; i++) {
                assertEquals(RepeatingPattern.BYTES_LINE.charAt(i % 64), (char) body[i]);
            }
            assertEquals("hello", responses.get(1).bodyText());
            assertTrue(responses.get(2).bodyText().contains("You are 10.13.0.2 port "));
            assertEquals("close", responses.get(2).header("Connection"));
        }
    }
}
