package dev.tuntcp.app;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.RealTcpPair;
import dev.tuntcp.socket.SocketOptions;
import dev.tuntcp.socket.TcpSocket;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
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

/**
 * The services on the real TCP state machine (two TcpLayers back to back in real time), with blocking
 * sockets as the clients: what curl and nc will do through the kernel, minus IP and the TUN device.
 */
@Timeout(60)
class ServicesOverRealTcpTest {
    private final UnpooledByteBufAllocator serviceAllocator = new UnpooledByteBufAllocator(false);
    private final Counters counters = new Counters();
    private final SocketOptions options = SocketOptions.DEFAULT.withConnectTimeoutMillis(10_000)
            .withSoTimeoutMillis(20_000);
    private RealTcpPair pair;
    private ExecutorService threads;

    @BeforeEach
    void start() throws Exception {
        pair = new RealTcpPair(65535, 64 * 1024);
        threads = Executors.newCachedThreadPool();
        pair.onLoop(() -> {
            try {
                pair.serverStack.listen(HttpService.PORT, new HttpService(counters, serviceAllocator,
                        Clock.systemUTC(), HttpService.DEFAULT_MAX_HEAD_BYTES, HttpService.DEFAULT_MAX_BODY_BYTES));
                pair.serverStack.listen(EchoService.PORT, new EchoService(counters));
                pair.serverStack.listen(DiscardService.PORT, new DiscardService(counters));
                pair.serverStack.listen(ChargenService.PORT, new ChargenService(counters));
            } catch (java.net.BindException e) {
                throw new AssertionError(e);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(pair.awaitOnLoop(pair::noConnectionsLeft, 10_000), "connections left open");
        long[] internalErrors = new long[1];
        pair.onLoop(() -> internalErrors[0] = counters.get(ServiceCounter.INTERNAL_ERRORS));
        pair.close();
        assertEquals(0, internalErrors[0]);
        assertEquals(0, serviceAllocator.metric().usedHeapMemory(), "service buffers not released");
        assertEquals(0, pair.allocator.metric().usedHeapMemory(), "TCP buffers not released");
    }

    private TcpSocket connect(int port) throws IOException {
        return TcpSocket.connect(pair.clientStack, "10.13.0.2", port, options);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void httpGetBytesEchoAndPageOnOneConnection() throws Exception {
        byte[] body = new byte[300_000];
        new Random(4).nextBytes(body);
        try (TcpSocket s = connect(HttpService.PORT)) {
            Future<byte[]> response = threads.submit(() -> readAll(s.getInputStream()));
            s.getOutputStream().write(("GET /bytes/5000000 HTTP/1.1\r\nHost: 10.13.0.2\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: 10.13.0.2\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(US_ASCII));
            s.getOutputStream().write(body);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 10.13.0.2\r\nConnection: close\r\n\r\n"
                    .getBytes(US_ASCII));
            List<HttpResponseReader.Response> r = new HttpResponseReader(response.get(30, TimeUnit.SECONDS)).readAll();
            assertEquals(3, r.size());
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] got = r.get(0).body();
            assertEquals(5_000_000, got.length);
            byte[] expected = new byte[got.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) RepeatingPattern.BYTES_LINE.charAt(i % 64);
            }
            assertArrayEquals(digest.digest(expected), MessageDigest.getInstance("SHA-256").digest(got));
            assertArrayEquals(body, r.get(1).body());
            assertTrue(r.get(2).bodyText().contains("You are 10.13.0.1 port "), r.get(2).bodyText());
            assertTrue(r.get(2).bodyText().contains("this connection is ESTABLISHED"));
        }
    }

    @Test
    void echoRoundTripsLikeNcN() throws Exception {
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(8).nextBytes(data);
        try (TcpSocket s = connect(EchoService.PORT)) {
            Future<byte[]> back = threads.submit(() -> readAll(s.getInputStream()));
            for (int off = 0; off < data.length; off += 50_000) {
                s.getOutputStream().write(data, off, Math.min(50_000, data.length - off));
            }
            s.shutdownOutput();
            assertArrayEquals(data, back.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void discardTakesMegabytesAndChargenStopsOnAbort() throws Exception {
        try (TcpSocket s = connect(DiscardService.PORT)) {
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 80; i++) {
                s.getOutputStream().write(chunk);
            }
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
        }
        TcpSocket chargen = connect(ChargenService.PORT);
        byte[] lines = new byte[74 * 500];
        int got = 0;
        while (got < lines.length) {
            got += chargen.getInputStream().read(lines, got, lines.length - got);
        }
        assertEquals(RepeatingPattern.CHARGEN.byteAt(74 * 499 + 3), lines[74 * 499 + 3]);
        chargen.abort(); // like nc killed with ^C after a while: RFC 864's "rude abort"
        long[] counted = new long[2];
        assertTrue(pair.awaitOnLoop(pair::noConnectionsLeft, 10_000));
        pair.onLoop(() -> {
            counted[0] = counters.get(ServiceCounter.DISCARD_BYTES);
            counted[1] = counters.get(ServiceCounter.CHARGEN_CONNECTIONS);
        });
        assertEquals(80L * 64 * 1024, counted[0]);
        assertEquals(1, counted[1]);
    }
}
