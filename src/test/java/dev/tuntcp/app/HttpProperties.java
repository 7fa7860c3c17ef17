package dev.tuntcp.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Any bytes, any split: the HTTP service never throws, never leaks, and always answers or waits. */
class HttpProperties {

    private static final int MAX_HEAD = 300;

    @Provide
    Arbitrary<byte[]> requestish() {
        Arbitrary<String> pieces = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /bytes/100 HTTP/1.1\r\nHost: x\r\n\r\n",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
                        "GET /bytes/3 HTTP/1.0\r\n\r\n", "PUT /x HTTP/1.1\r\nHost: x\r\n",
                        "Connection: close\r\n", "Connection: keep-alive\r\n", "Content-Length: 3\r\n",
                        "Expect: 100-continue\r\n", "Transfer-Encoding: chunked\r\n", "Host: y\r\n",
                        "\r\n", "\n", "\r", " ", ":", "GET ", "POST /echo ", "HTTP/1.1", "HTTP/1.0")),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(24)),
                Tuple.of(1, Arbitraries.strings().withChars("GETPOST/ :\r\n0123456789HTTP.").ofMaxLength(40)));
        return pieces.list().ofMaxSize(25)
                .map(list -> String.join("", list).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 600)
    void anyInputYieldsWellFormedResponsesOrWaitsAndFinAlwaysEndsIt(
            @ForAll("requestish") byte[] input,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 64) Integer> pieceSizes,
            @ForAll @IntRange(min = 1, max = 4000) int sendCapacity) {
        HttpHarness h = new HttpHarness(sendCapacity, MAX_HEAD, 1000);
        feed(h, input, pieceSizes);
        byte[] beforeFin = h.drainAll();
        HttpResponseReader reader = new HttpResponseReader(beforeFin);
        List<HttpResponseReader.Response> responses = reader.readAll();
        if (responses.isEmpty()) {
            assertFalse(h.channel.outputShutdown(), "no response means still waiting for more");
        }
        h.channel.receiveFin();
        HttpResponseReader after = new HttpResponseReader(h.drainAll());
        after.readAll();
        assertTrue(h.channel.outputShutdown(), "after the peer's FIN the server finishes and closes");
        assertEquals(0, h.channel.readableBytes(), "all input consumed or drained");
        h.finish();
    }

    @Property(tries = 400)
    void outputDoesNotDependOnHowTheInputWasSplit(
            @ForAll("requestish") byte[] input,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 50) Integer> splitA,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 50) Integer> splitB,
            @ForAll @IntRange(min = 1, max = 3000) int readCap) {
        HttpHarness a = new HttpHarness(1 << 20, MAX_HEAD, 1000);
        feed(a, input, splitA);
        HttpHarness b = new HttpHarness(1 << 20, MAX_HEAD, 1000);
        b.channel.maxReadSize(readCap);
        feed(b, input, splitB);
        assertArrayEquals(a.drainAll(), b.drainAll());
        assertEquals(a.channel.outputShutdown(), b.channel.outputShutdown());
        a.finish();
        b.finish();
    }

    @Property(tries = 1000)
    void parserSeesTheSameHeadWholeOrByteByByte(@ForAll("requestish") byte[] input) {
        HttpHeadParser whole = new HttpHeadParser(MAX_HEAD);
        ByteBuf all = Unpooled.wrappedBuffer(input);
        HttpHeadParser.Status expected = whole.parse(all);

        HttpHeadParser incremental = new HttpHeadParser(MAX_HEAD);
        ByteBuf growing = Unpooled.buffer(input.length);
        HttpHeadParser.Status status = HttpHeadParser.Status.NEED_MORE;
        for (int i = 0; i < input.length && status == HttpHeadParser.Status.NEED_MORE; i++) {
            growing.writeByte(input[i]);
            status = incremental.parse(growing);
        }
        assertEquals(expected, status);
        assertEquals(whole.head(), incremental.head());
        assertEquals(whole.error(), incremental.error());
        if (status == HttpHeadParser.Status.COMPLETE) {
            assertEquals(whole.headLength(), incremental.headLength());
            assertTrue(whole.headLength() <= MAX_HEAD);
        }
        assertEquals(0, all.readerIndex(), "the parser never moves the buffer's indices");
        all.release();
        growing.release();
    }

    private static void feed(HttpHarness h, byte[] input, List<Integer> pieceSizes) {
        int offset = 0;
        for (int i = 0; offset < input.length; i++) {
            int n = Math.min(input.length - offset, pieceSizes.get(i % pieceSizes.size()));
            h.channel.receive(input, offset, n);
            offset += n;
        }
    }
}
