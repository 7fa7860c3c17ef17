package dev.tuntcp.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.ScriptedChannel;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Echo (RFC 862), discard (RFC 863) and chargen (RFC 864) on a scripted channel. */
class SimpleServicesTest {
    // jqwik reuses one instance for all tries of a property, so each try starts afresh in open().
    private UnpooledByteBufAllocator allocator;
    private Counters counters;

    private ScriptedChannel open(java.util.function.Function<Counters, ConnectionHandlerFactory> service,
            int sendCapacity) {
        allocator = new UnpooledByteBufAllocator(false);
        counters = new Counters();
        ConnectionHandlerFactory factory = service.apply(counters);
        ScriptedChannel channel = new ScriptedChannel(factory.newHandler(), sendCapacity, allocator);
        channel.open();
        return channel;
    }

    private void finish(ScriptedChannel channel) {
        channel.dispose();
        assertEquals(List.of(), channel.violations());
        assertEquals(0, allocator.metric().usedHeapMemory(), "buffers not released");
        assertEquals(0, counters.get(ServiceCounter.INTERNAL_ERRORS));
    }

    @Property(tries = 200)
    void echoReturnsEveryByteInOrderUnderAnySplitAndSendBuffer(
            @ForAll @Size(max = 12) List<@Size(max = 3000) byte[]> pieces,
            @ForAll @IntRange(min = 50, max = 5000) int sendCapacity,
            @ForAll @IntRange(min = 50, max = 6000) int drainSize) {
        ScriptedChannel channel = open(EchoService::new, sendCapacity);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            channel.receive(piece);
            sent.writeBytes(piece);
            echoed.writeBytes(channel.drain(drainSize));
        }
        channel.receiveFin();
        for (byte[] chunk; (chunk = channel.drain(drainSize)).length > 0; ) {
            echoed.writeBytes(chunk);
        }
        assertArrayEquals(sent.toByteArray(), echoed.toByteArray());
        assertTrue(channel.outputShutdown(), "half-closes after the last echoed byte");
        assertEquals(1, channel.shutdownCalls());
        assertEquals(sent.size(), counters.get(ServiceCounter.ECHO_BYTES));
        finish(channel);
    }

    @Test
    void echoStopsReadingWhileItCannotSendAndFinishesBeforeItsFin() {
        ScriptedChannel channel = open(EchoService::new, 1000);
        channel.receive(new byte[200_000]);
        assertTrue(channel.readableBytes() >= 200_000 - 1000 - EchoService.CHUNK,
                "at most one chunk is taken out of the receive buffer while the send buffer is full");
        channel.receiveFin();
        assertFalse(channel.outputShutdown(), "no FIN while echo data is still pending");
        long total = 0;
        for (byte[] chunk; (chunk = channel.drain(777)).length > 0; ) {
            total += chunk.length;
        }
        assertEquals(200_000, total);
        assertTrue(channel.outputShutdown());
        finish(channel);
    }

    @Test
    void echoReleasesItsHeldChunkOnReset() {
        ScriptedChannel channel = open(EchoService::new, 10);
        channel.receive(new byte[5000]);
        channel.peerReset();
        finish(channel);
    }

    @Test
    void discardReadsEverythingCountsItAndHalfClosesOnFin() {
        ScriptedChannel channel = open(DiscardService::new, 1000).maxReadSize(1460);
        Random random = new Random(3);
        long total = 0;
        for (int i = 0; i < 200; i++) {
            byte[] piece = new byte[random.nextInt(10_000)];
            channel.receive(piece);
            total += piece.length;
            assertEquals(0, channel.readableBytes(), "discard keeps the receive window open");
        }
        assertEquals(total, counters.get(ServiceCounter.DISCARD_BYTES));
        assertEquals(0, channel.bytesWritten(), "discard never sends");
        assertFalse(channel.outputShutdown());
        channel.receiveFin();
        assertTrue(channel.outputShutdown());
        finish(channel);
    }

    @Test
    void chargenSendsTheRfc864LinesAsTheBufferFreesAndIgnoresInput() {
        ScriptedChannel channel = open(ChargenService::new, 4096);
        assertEquals(4096, channel.pendingSend(), "fills the send buffer at once");
        channel.receive("ignored".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, channel.readableBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < 74 * 200) {
            out.writeBytes(channel.drain(1000));
        }
        String text = out.toString(StandardCharsets.US_ASCII);
        String[] lines = text.split("\r\n", -1);
        assertEquals("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh", lines[0]);
        assertEquals("\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghi", lines[1]);
        String printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
        assertEquals(95, printable.length());
        for (int i = 0; i < 199; i++) {
            StringBuilder expected = new StringBuilder();
            for (int c = 0; c < 72; c++) {
                expected.append(printable.charAt((i + 1 + c) % 95));
            }
            assertEquals(expected.toString(), lines[i], "line " + i);
        }
        assertEquals(lines[0], lines[95], "the pattern repeats after 95 lines");
        assertFalse(channel.outputShutdown());
        channel.receiveFin();
        assertTrue(channel.outputShutdown(), "stops at the peer's FIN");
        long written = channel.bytesWritten();
        channel.drain(Integer.MAX_VALUE);
        assertEquals(written, channel.bytesWritten(), "nothing after our FIN");
        finish(channel);
    }

    @Test
    void chargenStopsOnReset() {
        ScriptedChannel channel = open(ChargenService::new, 4096);
        channel.drain(100);
        channel.peerReset();
        channel.drain(Integer.MAX_VALUE);
        assertEquals(4096 + 100, channel.bytesWritten());
        assertEquals(1, counters.get(ServiceCounter.CHARGEN_CONNECTIONS));
        finish(channel);
    }
}
