package dev.tuntcp.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuntcp.socket.ScriptedChannel;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One {@link HttpService} connection on a {@link ScriptedChannel}, with an instrumented allocator
 * so the test can prove every buffer was released, and a fixed wall clock so responses are exact.
 */
final class HttpHarness {
    static final String DATE = "Tue, 02 Jan 2024 03:04:05 GMT";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);

    final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    final Counters counters = new Counters();
    final HttpService service;
    final ScriptedChannel channel;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    HttpHarness(int sendCapacity) {
        this(sendCapacity, HttpService.DEFAULT_MAX_HEAD_BYTES, HttpService.DEFAULT_MAX_BODY_BYTES);
    }

    HttpHarness(int sendCapacity, int maxHead, long maxBody) {
        service = new HttpService(counters, allocator, CLOCK, maxHead, maxBody);
        channel = new ScriptedChannel(service.newHandler(), sendCapacity, allocator);
        channel.open();
    }

    HttpHarness send(String ascii) {
        channel.receive(ascii.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    HttpHarness send(byte[] bytes) {
        channel.receive(bytes);
        return this;
    }

    /** Drains the send buffer until the handler produces nothing more; returns all output so far. */
    byte[] drainAll() {
        while (true) {
            byte[] chunk = channel.drain(Integer.MAX_VALUE);
            if (chunk.length == 0) {
                return output.toByteArray();
            }
            output.writeBytes(chunk);
        }
    }

    String drainText() {
        return new String(drainAll(), StandardCharsets.ISO_8859_1);
    }

    List<HttpResponseReader.Response> responses() {
        HttpResponseReader reader = new HttpResponseReader(drainAll());
        return reader.readAll();
    }

    /**
     * Ends the connection and checks the handler kept the contract and released every buffer (the
     * allocator's live-memory metric returns to zero) and never hit its internal-error net.
     */
    void finish() {
        channel.dispose();
        assertEquals(List.of(), channel.violations(), "contract violations");
        assertEquals(0, allocator.metric().usedHeapMemory(), "heap buffers not released");
        assertEquals(0, allocator.metric().usedDirectMemory(), "direct buffers not released");
        assertEquals(0, counters.get(ServiceCounter.INTERNAL_ERRORS), "internal errors");
    }

    static String head(int status, String reason, String type, long length, String extra) {
        return "HTTP/1.1 " + status + " " + reason + "\r\nDate: " + DATE + "\r\nServer: tuntcp\r\n"
                + "Content-Type: " + type + "\r\nContent-Length: " + length + "\r\n" + extra + "\r\n";
    }
}
