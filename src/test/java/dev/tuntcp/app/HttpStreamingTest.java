package dev.tuntcp.app;

import static dev.tuntcp.app.HttpHarness.head;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Large bodies through a small send buffer: exact content, bounded memory. */
class HttpStreamingTest {

    /** The documented pattern, built independently of the service's generator. */
    private static byte[] referenceBytes(long n) {
        byte[] line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = line[i % 64];
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bytesStreamsExactContentThroughATinySendBufferInBoundedMemory() {
        long n = 8L * 1024 * 1024 + 13;
        HttpHarness h = new HttpHarness(3000);
        String request = "GET /bytes/" + n + " HTTP/1.1\r\nHost: x\r\n\r\n";
        h.send(request);
        String expectedHead = head(200, "OK", "application/octet-stream", n, "");
        byte[] headBytes = h.channel.drain(expectedHead.length());
        assertEquals(expectedHead, new String(headBytes, StandardCharsets.ISO_8859_1));

        MessageDigest digest = sha256();
        Random random = new Random(7);
        long received = 0;
        long peakMemory = 0;
        while (true) {
            byte[] chunk = h.channel.drain(1 + random.nextInt(5000));
            if (chunk.length == 0) {
                break;
            }
            digest.update(chunk);
            received += chunk.length;
            peakMemory = Math.max(peakMemory, h.allocator.metric().usedHeapMemory());
        }
        assertEquals(n, received);
        assertArrayEquals(sha256().digest(referenceBytes(n)), digest.digest());
        // Only the 16 KiB head buffer, released before the body starts; nothing grows with N.
        assertTrue(peakMemory <= HttpConnection.READ_CHUNK, "peak live heap " + peakMemory);
        assertEquals(n, h.counters.get(ServiceCounter.HTTP_BODY_BYTES));
        h.send("GET /bytes/1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(head(200, "OK", "application/octet-stream", 1, "") + "0", h.drainText());
        h.finish();
    }

    @Test
    void aGibibyteIsAnnouncedAndStreamedLazily() {
        long n = 1L << 30;
        HttpHarness h = new HttpHarness(65536);
        h.send("GET /bytes/" + n + " HTTP/1.1\r\nHost: x\r\n\r\n");
        long drained = 0;
        for (int i = 0; i < 64; i++) {
            drained += h.channel.drain(Integer.MAX_VALUE).length;
        }
        assertTrue(drained > 60 * 65536, "streaming proceeds as the buffer frees: " + drained);
        assertTrue(h.channel.bytesWritten() < 66 * 65536, "never generated ahead of the send buffer");
        h.channel.peerReset();
        h.finish();
    }

    @Test
    void echoStreamsARandomBodySplitArbitrarilyThroughASmallSendBuffer() {
        Random random = new Random(42);
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        random.nextBytes(body);
        String head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] request = concat(head.getBytes(StandardCharsets.US_ASCII), body,
                "GET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        HttpHarness h = new HttpHarness(5000);
        h.channel.maxReadSize(1460);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int offset = 0;
        long peakMemory = 0;
        while (offset < request.length) {
            int piece = Math.min(request.length - offset, 1 + random.nextInt(20000));
            h.channel.receive(request, offset, piece);
            offset += piece;
            out.writeBytes(h.channel.drain(random.nextInt(30000)));
            peakMemory = Math.max(peakMemory, h.allocator.metric().usedHeapMemory());
        }
        out.writeBytes(h.drainAll());
        var responses = new HttpResponseReader(out.toByteArray()).readAll();
        assertEquals(2, responses.size());
        assertArrayEquals(body, responses.get(0).body());
        assertEquals("012", responses.get(1).bodyText());
        assertTrue(h.channel.readableBytes() == 0);
        // The backlog waits in the (fake) stack's receive buffer; the handler holds at most its head
        // buffer and one echoed chunk.
        assertTrue(peakMemory <= 2 * HttpConnection.READ_CHUNK + 512, "peak live heap " + peakMemory);
        h.finish();
    }

    @Test
    void echoBackpressureStopsReadingWhileTheSendBufferIsFull() {
        HttpHarness h = new HttpHarness(1000);
        h.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
        h.send(new byte[100000]);
        assertTrue(h.channel.readableBytes() > 100000 - 1000 - HttpConnection.READ_CHUNK - 200,
                "the handler must not drain the receive buffer while it cannot send");
        assertEquals(1000, h.channel.pendingSend());
        var responses = h.responses();
        assertEquals(100000, responses.get(0).body().length);
        h.finish();
    }

    @Test
    void echoEndingEarlyIsCutShortAndClosed() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        h.channel.receiveFin();
        assertEquals(head(200, "OK", "application/octet-stream", 10, "") + "abc", h.drainText());
        assertTrue(h.channel.outputShutdown());
        assertEquals(1, h.counters.get(HttpError.INCOMPLETE_REQUEST));
        h.finish();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
