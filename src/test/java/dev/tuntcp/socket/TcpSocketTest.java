package dev.tuntcp.socket;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpSocketTest extends SocketTestBase {

    @Test
    void megabytesBothWaysThroughSmallBuffersWithHalfClose() throws Exception {
        TcpServerSocket server = listen(7000);
        byte[] data = new byte[3 * 1024 * 1024 + 5];
        new Random(1).nextBytes(data);
        // Server: echo everything until the client's FIN, then close.
        Future<Long> echo = inThread(() -> {
            try (TcpSocket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buffer = new byte[4000];
                long total = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    total += n;
                }
                return total;
            }
        });
        TcpSocket client = connect(7000);
        Future<byte[]> reader = inThread(() -> readAll(client.getInputStream()));
        OutputStream out = client.getOutputStream();
        Random sizes = new Random(2);
        for (int off = 0; off < data.length; ) {
            int n = Math.min(data.length - off, 1 + sizes.nextInt(9000));
            out.write(data, off, n);
            off += n;
        }
        client.shutdownOutput();
        assertArrayEquals(data, reader.get(30, TimeUnit.SECONDS));
        assertEquals(data.length, echo.get(30, TimeUnit.SECONDS));
        client.close();
    }

    @Test
    void halfCloseLetsTheServerAnswerAfterTheClientsFin() throws Exception {
        TcpServerSocket server = listen(80);
        Future<String> request = inThread(() -> {
            try (TcpSocket s = server.accept()) {
                String got = new String(readAll(s.getInputStream()), US_ASCII);
                s.getOutputStream().write(("you said " + got).getBytes(US_ASCII));
                return got;
            }
        });
        TcpSocket client = connect(80);
        client.getOutputStream().write("hello".getBytes(US_ASCII));
        client.shutdownOutput();
        assertTrue(client.isOutputShutdown());
        SocketException afterShutdown = assertThrows(SocketException.class,
                () -> client.getOutputStream().write(1));
        assertEquals("Socket output is shutdown", afterShutdown.getMessage());
        assertEquals("you said hello", new String(readAll(client.getInputStream()), US_ASCII));
        assertEquals("hello", request.get(10, TimeUnit.SECONDS));
        assertEquals(-1, client.getInputStream().read(), "EOF stays EOF");
        client.close();
    }

    @Test
    void dataStillUnreadWhenTheConnectionEndsCleanlyIsDelivered() throws Exception {
        TcpServerSocket server = listen(89);
        TcpSocket client = connect(89);
        TcpSocket accepted = server.accept();
        byte[] data = new byte[6000]; // more than the client's ring and the pipe hold together
        new Random(9).nextBytes(data);
        client.shutdownOutput();
        assertEquals(-1, accepted.getInputStream().read());
        Future<Object> writer = inThread(() -> {
            accepted.getOutputStream().write(data);
            accepted.close();
            return null;
        });
        // Wait until both FINs are through: the stack reports the connection closed on both sides
        // before the client has read a byte.
        assertTrue(stack.awaitAllClosed(10_000));
        writer.get(10, TimeUnit.SECONDS);
        client.setSoTimeout(10_000);
        assertArrayEquals(data, readAll(client.getInputStream()));
        client.close();
    }

    @Test
    void readTimesOutAndTheSocketStaysUsable() throws Exception {
        TcpServerSocket server = listen(81);
        TcpSocket client = connect(81);
        TcpSocket accepted = closeLater(server.accept());
        client.setSoTimeout(50);
        long start = System.nanoTime();
        SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
        assertEquals("Read timed out", timeout.getMessage());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(45), "waited the timeout");
        accepted.getOutputStream().write('x');
        client.setSoTimeout(10_000);
        assertEquals('x', client.getInputStream().read());
        assertEquals(SocketTestBase.SMALL.soTimeoutMillis(), 0);
    }

    @Test
    void acceptTimesOutAndKeepsListening() throws Exception {
        TcpServerSocket server = listen(82);
        server.setSoTimeout(30);
        assertThrows(SocketTimeoutException.class, server::accept);
        TcpSocket client = connect(82);
        server.setSoTimeout(10_000);
        TcpSocket accepted = closeLater(server.accept());
        assertEquals(client.localPort(), accepted.remotePort());
        assertEquals(82, client.remotePort());
        assertEquals("10.13.0.2", Ipv4Literal.format(client.remoteAddress()));
    }

    @Test
    void connectToAClosedPortIsRefused() {
        ConnectException e = assertThrows(ConnectException.class, () -> connect(9999));
        assertEquals("Connection refused", e.getMessage());
    }

    @Test
    void connectGivesUpAtItsTimeout() {
        SocketOptions quick = SMALL.withConnectTimeoutMillis(40);
        assertThrows(SocketTimeoutException.class, () -> TcpSocket.connect(stack, "10.99.0.1", 80, quick));
    }

    @Test
    void connectNeedsAnIpv4Literal() {
        assertThrows(UnknownHostException.class, () -> TcpSocket.connect(stack, "example.com", 80, SMALL));
    }

    @Test
    void abortResetsThePeer() throws Exception {
        TcpServerSocket server = listen(83);
        TcpSocket client = connect(83);
        TcpSocket accepted = closeLater(server.accept());
        client.getOutputStream().write(new byte[10]);
        client.abort();
        assertThrows(SocketException.class, () -> client.getOutputStream().write(1));
        InputStream in = accepted.getInputStream();
        // Whatever arrived before the RST may be read; then the reset shows.
        SocketException reset = assertThrows(SocketException.class, () -> readAll(in));
        assertEquals("Connection reset", reset.getMessage());
        SocketException onWrite = assertThrows(SocketException.class, () -> accepted.getOutputStream().write(1));
        assertEquals("Connection reset", onWrite.getMessage());
    }

    @Test
    void closeWakesABlockedReaderAndWriter() throws Exception {
        TcpServerSocket server = listen(84);
        TcpSocket client = connect(84);
        closeLater(server.accept()); // never reads: the client's writer fills every buffer
        CountDownLatch started = new CountDownLatch(2);
        Future<Object> reader = inThread(() -> {
            started.countDown();
            return client.getInputStream().read();
        });
        Future<Object> writer = inThread(() -> {
            started.countDown();
            byte[] chunk = new byte[1000];
            while (true) {
                client.getOutputStream().write(chunk);
            }
        });
        started.await();
        client.close();
        assertEquals("Socket closed", causeOf(reader).getMessage());
        assertEquals("Socket closed", causeOf(writer).getMessage());
        assertTrue(client.isClosed());
    }

    @Test
    void peerCloseIsEndOfStream() throws Exception {
        TcpServerSocket server = listen(85);
        TcpSocket client = connect(85);
        TcpSocket accepted = server.accept();
        accepted.getOutputStream().write("bye".getBytes(US_ASCII));
        accepted.close();
        assertEquals("bye", new String(readAll(client.getInputStream()), US_ASCII));
        client.close();
    }

    @Test
    void closingTheServerWakesAcceptAndResetsUnacceptedConnections() throws Exception {
        TcpServerSocket server = listen(86);
        TcpSocket queued = connect(86);
        server.close();
        assertThrows(SocketException.class, server::accept);
        assertThrows(SocketException.class, () -> readAll(queued.getInputStream()));
        assertThrows(ConnectException.class, () -> connect(86), "no longer listening");
        assertTrue(server.isClosed());
    }

    @Test
    void aFullBacklogResetsNewConnections() throws Exception {
        TcpServerSocket server = closeLater(TcpServerSocket.bind(stack, 87, SMALL.withBacklog(1)));
        TcpSocket first = connect(87);
        TcpSocket second = connect(87);
        SocketException reset = assertThrows(SocketException.class, () -> second.getInputStream().read());
        assertEquals("Connection reset", reset.getMessage());
        TcpSocket accepted = closeLater(server.accept());
        first.getOutputStream().write(7);
        assertEquals(7, accepted.getInputStream().read());
    }

    @Test
    void aPortCanBeBoundOnce() throws Exception {
        TcpServerSocket first = listen(0);
        assertTrue(first.localPort() > 0);
        assertThrows(BindException.class, () -> TcpServerSocket.bind(stack, first.localPort(), SMALL));
    }

    @Test
    void blockingCallsOnTheEventLoopAreRefused() throws Exception {
        Throwable[] seen = new Throwable[1];
        stack.runOnLoop(() -> {
            try {
                TcpSocket.connect(stack, "10.13.0.2", 80, SMALL);
            } catch (Throwable t) {
                seen[0] = t;
            }
        });
        assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
    }

    @Test
    void closingWithUnreadInputResetsThePeerInsteadOfLeavingItStuck() throws Exception {
        TcpServerSocket server = listen(88);
        TcpSocket client = connect(88);
        TcpSocket accepted = server.accept();
        Future<Object> flood = inThread(() -> {
            byte[] chunk = new byte[5000];
            for (int i = 0; i < 200; i++) {
                accepted.getOutputStream().write(chunk);
            }
            accepted.close();
            return null;
        });
        readExactly(client.getInputStream(), 100);
        client.close(); // ~1 MB still coming, unread: RFC 1122 §4.2.2.13 says reset
        assertEquals("Connection reset", causeOf(flood).getMessage());
        accepted.close();
    }

    private static Throwable causeOf(Future<?> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still blocked");
        }
    }
}
