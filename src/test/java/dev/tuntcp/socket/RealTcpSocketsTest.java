package dev.tuntcp.socket;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocking sockets on the real TCP state machine (two TcpLayers back to back, real threads). */
@Timeout(60)
class RealTcpSocketsTest {
    private static final SocketOptions OPTIONS = SocketOptions.DEFAULT.withReceiveBufferSize(16 * 1024)
            .withSendBufferSize(16 * 1024).withConnectTimeoutMillis(10_000).withSoTimeoutMillis(20_000);

    private RealTcpPair pair;
    private ExecutorService threads;

    @BeforeEach
    void start() {
        pair = new RealTcpPair(8 * 1024, 8 * 1024);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(pair.awaitOnLoop(pair::noConnectionsLeft, 10_000),
                "connections left: server " + pair.server.connections() + " client " + pair.client.connections());
        Map<String, Long> serverCounts = pair.serverCounters.snapshot();
        pair.close();
        assertEquals(0, pair.allocator.metric().usedHeapMemory(), "TCP buffers not released; " + serverCounts);
    }

    private TcpSocket connect(int port) throws IOException {
        return TcpSocket.connect(pair.clientStack, "10.13.0.2", port, OPTIONS);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[5000];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void bytesBothWaysWithHalfCloseOverTheStateMachine() throws Exception {
        byte[] data = new byte[2 * 1024 * 1024 + 3];
        new Random(11).nextBytes(data);
        try (TcpServerSocket server = TcpServerSocket.bind(pair.serverStack, 7, OPTIONS)) {
            Future<Long> echo = threads.submit(() -> {
                try (TcpSocket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buffer = new byte[7000];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        total += n;
                    }
                    out.write("(server done)".getBytes(US_ASCII)); // after the client's FIN
                    return total;
                }
            });
            try (TcpSocket client = connect(7)) {
                Future<byte[]> back = threads.submit(() -> readAll(client.getInputStream()));
                for (int off = 0; off < data.length; off += 30_000) {
                    client.getOutputStream().write(data, off, Math.min(30_000, data.length - off));
                }
                client.shutdownOutput();
                byte[] got = back.get(30, TimeUnit.SECONDS);
                assertEquals(data.length, echo.get(30, TimeUnit.SECONDS));
                assertEquals(data.length + 13, got.length);
                assertArrayEquals(data, java.util.Arrays.copyOf(got, data.length));
                assertEquals("(server done)", new String(got, data.length, 13, US_ASCII));
            }
        }
    }

    @Test
    void aClosedPortRefusesAtOnce() {
        ConnectException e = assertThrows(ConnectException.class, () -> connect(4444));
        assertEquals("Connection refused", e.getMessage());
    }

    @Test
    void abortIsAResetForThePeer() throws Exception {
        try (TcpServerSocket server = TcpServerSocket.bind(pair.serverStack, 8, OPTIONS)) {
            TcpSocket client = connect(8);
            try (TcpSocket accepted = server.accept()) {
                client.getOutputStream().write("partial".getBytes(US_ASCII));
                assertEquals('p', accepted.getInputStream().read());
                client.abort();
                SocketException reset = assertThrows(SocketException.class, () -> readAll(accepted.getInputStream()));
                assertEquals("Connection reset", reset.getMessage());
            }
        }
    }

    @Test
    void soLingerZeroMakesCloseAResetForThePeer() throws Exception {
        SocketOptions lingerZero = OPTIONS.withAbortOnClose(true).withTcpNoDelay(true).withKeepAlive(KeepAlive.DEFAULTS);
        try (TcpServerSocket server = TcpServerSocket.bind(pair.serverStack, 9, OPTIONS)) {
            TcpSocket client = TcpSocket.connect(pair.clientStack, "10.13.0.2", 9, lingerZero);
            try (TcpSocket accepted = server.accept()) {
                client.getOutputStream().write("partial".getBytes(US_ASCII));
                assertEquals('p', accepted.getInputStream().read());
                client.close();
                SocketException reset = assertThrows(SocketException.class, () -> readAll(accepted.getInputStream()));
                assertEquals("Connection reset", reset.getMessage());
                assertEquals(1, pair.clientCounters.get(dev.tuntcp.tcp.TcpStat.LINGER_ABORTS));
            }
        }
    }

    @Test
    void aFullAcceptQueueResetsOnlyTheNewcomerAndCountsIt() throws Exception {
        try (TcpServerSocket server = TcpServerSocket.bind(pair.serverStack, 10, OPTIONS.withBacklog(1))) {
            TcpSocket first = connect(10); // completes and waits in the accept queue (its one place)
            first.getOutputStream().write("first".getBytes(US_ASCII));
            TcpSocket second = connect(10); // the handshake completes, then the full queue resets it
            SocketException reset = assertThrows(SocketException.class, () -> readAll(second.getInputStream()));
            assertEquals("Connection reset", reset.getMessage());
            assertEquals(1, pair.serverCounters.get(dev.tuntcp.tcp.TcpStat.ACCEPT_QUEUE_OVERFLOWS));
            try (TcpSocket accepted = server.accept()) { // the queued connection is untouched
                byte[] got = new byte[5];
                new java.io.DataInputStream(accepted.getInputStream()).readFully(got);
                assertEquals("first", new String(got, US_ASCII));
            }
            first.close();
            second.close();
        }
    }
}
