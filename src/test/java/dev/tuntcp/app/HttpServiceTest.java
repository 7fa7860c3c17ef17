package dev.tuntcp.app;

import static dev.tuntcp.app.HttpHarness.head;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpServiceTest {

    private static final String GET_ROOT = "GET / HTTP/1.1\r\nHost: 10.13.0.2\r\nUser-Agent: curl/8\r\nAccept: */*\r\n\r\n";

    private static String page() {
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n"
                + "<head><meta charset=\"utf-8\"><title>tuntcp</title></head>\n"
                + "<body>\n"
                + "<h1>Hello from tuntcp</h1>\n"
                + "<p>This page was served by <b>tuntcp</b>, a TCP/IPv4 stack that runs in user space:"
                + " a Java process reads raw IP packets from a Linux TUN device and does everything else"
                + " itself &mdash; the three-way handshake, sequence numbers, windows, retransmission,"
                + " this HTTP response and the teardown. Your kernel's TCP is just its peer.</p>\n"
                + "<p>You are 10.13.0.1 port 45678; this connection is ESTABLISHED.</p>\n"
                + "<ul>\n"
                + "<li><a href=\"/bytes/1048576\">GET /bytes/N</a>: N bytes of a repeating 64-byte line</li>\n"
                + "<li>POST /echo: the request body, sent back</li>\n"
                + "</ul>\n"
                + "</body>\n"
                + "</html>\n";
    }

    private static String rootResponse() {
        return head(200, "OK", "text/html; charset=utf-8", page().length(), "") + page();
    }

    @Test
    void getRootIsTheExactPageAndKeepsTheConnection() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send(GET_ROOT);
        assertEquals(rootResponse(), h.drainText());
        assertFalse(h.channel.outputShutdown());
        assertEquals(1, h.counters.get(ServiceCounter.HTTP_REQUESTS));
        h.finish();
    }

    @Test
    void pipelinedRequestsInOneReadAreAnsweredInOrder() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send(GET_ROOT + "GET /bytes/5 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        String expected = rootResponse()
                + head(200, "OK", "application/octet-stream", 5, "") + "01234"
                + head(200, "OK", "application/octet-stream", 3, "") + "abc"
                + head(404, "Not Found", "text/plain; charset=utf-8", 14, "") + "404 Not Found\n";
        assertEquals(expected, h.drainText());
        assertFalse(h.channel.outputShutdown());
        assertEquals(4, h.counters.get(ServiceCounter.HTTP_REQUESTS));
        h.finish();
    }

    @Test
    void everySplitOfPipelinedRequestsGivesTheSameBytes() {
        String requests = "GET /bytes/70 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world"
                + "\r\nHEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "GET / HTTP/1.1\nHost: y\n\n";
        byte[] all = requests.getBytes(StandardCharsets.ISO_8859_1);
        HttpHarness whole = new HttpHarness(1 << 20);
        whole.send(all);
        byte[] expected = whole.drainAll();
        whole.finish();
        assertEquals(4, new String(expected, StandardCharsets.ISO_8859_1).split("HTTP/1.1 200 OK", -1).length - 1);
        for (int split = 1; split < all.length; split++) {
            HttpHarness h = new HttpHarness(1 << 20);
            h.channel.receive(all, 0, split);
            h.channel.receive(all, split, all.length - split);
            assertArrayEquals(expected, h.drainAll(), "split at " + split);
            h.finish();
        }
        HttpHarness byteByByte = new HttpHarness(1 << 20);
        for (int i = 0; i < all.length; i++) {
            byteByByte.channel.receive(all, i, 1);
        }
        assertArrayEquals(expected, byteByByte.drainAll());
        byteByByte.finish();
    }

    @Test
    void headGetsTheHeadOnly() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("HEAD /bytes/1000 HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(head(200, "OK", "application/octet-stream", 1000, "")
                + head(200, "OK", "text/html; charset=utf-8", page().length(), ""), h.drainText());
        h.finish();
    }

    @Test
    void connectionCloseIsHonouredAndTheServerLingersUntilTheFin() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("GET /bytes/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(head(200, "OK", "application/octet-stream", 3, "Connection: close\r\n") + "012", h.drainText());
        assertTrue(h.channel.outputShutdown());
        assertEquals(1, h.counters.get(ServiceCounter.HTTP_REQUESTS), "nothing after close is served");
        h.send("more junk the client sends");
        assertEquals(0, h.channel.readableBytes(), "input is drained while lingering");
        h.channel.receiveFin();
        h.finish();
    }

    @Test
    void http10ClosesUnlessKeepAlive() {
        HttpHarness close = new HttpHarness(1 << 20);
        close.send("GET /bytes/2 HTTP/1.0\r\n\r\n");
        assertEquals(head(200, "OK", "application/octet-stream", 2, "Connection: close\r\n") + "01", close.drainText());
        assertTrue(close.channel.outputShutdown());
        close.finish();

        HttpHarness keep = new HttpHarness(1 << 20);
        keep.send("GET /bytes/2 HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        assertEquals(head(200, "OK", "application/octet-stream", 2, "Connection: keep-alive\r\n") + "01",
                keep.drainText());
        assertFalse(keep.channel.outputShutdown());
        keep.finish();
    }

    @Test
    void peerFinBetweenRequestsClosesOurSide() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send(GET_ROOT);
        h.channel.receiveFin();
        assertEquals(rootResponse(), h.drainText());
        assertTrue(h.channel.outputShutdown());
        assertEquals(1, h.channel.shutdownCalls());
        h.finish();
    }

    @Test
    void requestThenImmediateFinStillGetsItsFullStreamedResponse() {
        HttpHarness h = new HttpHarness(1000);
        h.send("GET /bytes/100000 HTTP/1.1\r\nHost: x\r\n\r\n");
        h.channel.receiveFin();
        List<HttpResponseReader.Response> responses = h.responses();
        assertEquals(1, responses.size());
        assertEquals(100000, responses.get(0).body().length);
        assertTrue(h.channel.outputShutdown());
        h.finish();
    }

    @Test
    void peerResetMidStreamReleasesEverything() {
        HttpHarness h = new HttpHarness(4096);
        h.send("GET /bytes/100000000 HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\n");
        h.channel.drain(10000);
        h.channel.peerReset();
        h.finish();
    }

    @Test
    void finInTheMiddleOfAHeadIsABadRequest() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("GET / HTTP/1.1\r\nHost: x\r\n");
        assertEquals("", h.drainText());
        h.channel.receiveFin();
        assertEquals(head(400, "Bad Request", "text/plain; charset=utf-8", 16, "Connection: close\r\n")
                + "400 Bad Request\n", h.drainText());
        assertTrue(h.channel.outputShutdown());
        assertEquals(1, h.counters.get(HttpError.INCOMPLETE_REQUEST));
        h.finish();
    }

    @Test
    void emptyLinesBeforeARequestAreIgnored() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("\r\n\r\nGET /bytes/1 HTTP/1.1\r\nHost: x\r\n\r\n\r\n");
        assertEquals(head(200, "OK", "application/octet-stream", 1, "") + "0", h.drainText());
        h.channel.receiveFin();
        assertTrue(h.channel.outputShutdown());
        assertEquals(0, h.counters.get(HttpError.INCOMPLETE_REQUEST));
        h.finish();
    }

    @Test
    void absoluteFormTargetsAndQueriesRouteByPath() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("GET http://10.13.0.2/bytes/4?x=1 HTTP/1.1\r\nHost: 10.13.0.2\r\n\r\n"
                + "GET http://10.13.0.2 HTTP/1.1\r\nHost: 10.13.0.2\r\n\r\n");
        List<HttpResponseReader.Response> r = h.responses();
        assertEquals("0123", r.get(0).bodyText());
        assertEquals(page(), r.get(1).bodyText());
        h.finish();
    }

    @Test
    void methodNotAllowedNamesTheAllowedOnesAndSkipsTheBody() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /echo HTTP/1.1\r\nHost: x\r\n\r\n"
                + "BREW /bytes/1 HTTP/1.1\r\nHost: x\r\n\r\n");
        String expected = head(405, "Method Not Allowed", "text/plain; charset=utf-8", 23, "")
                .replace("Server: tuntcp\r\n", "Server: tuntcp\r\nAllow: GET, HEAD\r\n") + "405 Method Not Allowed\n"
                + head(405, "Method Not Allowed", "text/plain; charset=utf-8", 23, "")
                .replace("Server: tuntcp\r\n", "Server: tuntcp\r\nAllow: POST\r\n") + "405 Method Not Allowed\n"
                + head(501, "Not Implemented", "text/plain; charset=utf-8", 20, "") + "501 Not Implemented\n";
        assertEquals(expected, h.drainText());
        assertFalse(h.channel.outputShutdown());
        h.finish();
    }

    @Test
    void expectContinueGetsAnInterimResponseBeforeTheEcho() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        String interim = "HTTP/1.1 100 Continue\r\n\r\n" + head(200, "OK", "application/octet-stream", 4, "");
        assertEquals(interim, h.drainText());
        h.send("ping");
        assertEquals(interim + "ping", h.drainText());
        h.finish();
    }

    @Test
    void connectionCountIsKept() {
        HttpHarness h = new HttpHarness(1 << 20);
        assertEquals(1, h.counters.get(ServiceCounter.HTTP_CONNECTIONS));
        h.channel.end(CloseReason.CLOSED);
        h.finish();
    }
}
