package dev.tuntcp.app;

import static dev.tuntcp.app.HttpHarness.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpErrorsTest {

    /** Every bad request gets its status, closes (after our FIN the server drains until the peer's), and counts its reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "BAD_REQUEST_LINE            | GET/ HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
        "BAD_REQUEST_LINE            | GET  / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
        "BAD_REQUEST_LINE            | G(T / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
        "BAD_VERSION                 | GET / HTTP/1.1 \\r\\nHost: x\\r\\n\\r\\n",
        "BAD_VERSION                 | GET / http/1.1\\r\\nHost: x\\r\\n\\r\\n",
        "BAD_VERSION                 | GET / HTTP/11\\r\\nHost: x\\r\\n\\r\\n",
        "UNSUPPORTED_VERSION         | GET / HTTP/2.0\\r\\nHost: x\\r\\n\\r\\n",
        "BAD_TARGET                  | GET nope HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
        "BAD_TARGET                  | GET /\\u00e9 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
        "BARE_CR                     | GET / HTTP/1.1\\r\\nHost: x\\ry\\r\\n\\r\\n",
        "OBS_FOLD                    | GET / HTTP/1.1\\r\\nHost: x\\r\\n folded\\r\\n\\r\\n",
        "BAD_HEADER                  | GET / HTTP/1.1\\r\\nHost : x\\r\\n\\r\\n",
        "BAD_HEADER                  | GET / HTTP/1.1\\r\\nHost x\\r\\n\\r\\n",
        "BAD_HEADER                  | GET / HTTP/1.1\\r\\n: x\\r\\nHost: x\\r\\n\\r\\n",
        "BAD_HEADER                  | GET / HTTP/1.1\\r\\nHost: x\\u0000y\\r\\n\\r\\n",
        "BAD_CONTENT_LENGTH          | POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 12a\\r\\n\\r\\n",
        "BAD_CONTENT_LENGTH          | POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: -1\\r\\n\\r\\n",
        "BAD_CONTENT_LENGTH          | POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: \\r\\n\\r\\n",
        "BAD_CONTENT_LENGTH          | POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 3, 4\\r\\n\\r\\n",
        "BAD_CONTENT_LENGTH          | POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\n",
        "BAD_HOST                    | GET / HTTP/1.1\\r\\n\\r\\n",
        "BAD_HOST                    | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n",
        "UNSUPPORTED_EXPECTATION     | GET / HTTP/1.1\\r\\nHost: x\\r\\nExpect: teapot\\r\\n\\r\\n",
        "UNSUPPORTED_TRANSFER_CODING | POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "LENGTH_REQUIRED             | POST /echo HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nhello",
        "BODY_TOO_LARGE              | POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1025\\r\\nExpect: 100-continue\\r\\n\\r\\n",
        "BODY_TOO_LARGE              | POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 99999999999999999999999\\r\\n\\r\\n",
    })
    void badRequestsGetTheirStatusAndClose(HttpError expected, String escaped) {
        HttpHarness h = new HttpHarness(1 << 20, 1024, 1024);
        h.send(unescape(escaped));
        String text = expected.status + " " + expected.reason + "\n";
        assertEquals(head(expected.status, expected.reason, "text/plain; charset=utf-8", text.length(),
                "Connection: close\r\n") + text, h.drainText());
        assertTrue(h.channel.outputShutdown());
        assertEquals(1, h.counters.get(expected));
        h.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(0, h.channel.readableBytes(), "input after the error is drained, not served");
        h.channel.receiveFin();
        h.finish();
    }

    @ParameterizedTest(name = "head of {0} bytes")
    @CsvSource({"1024", "4000"})
    void aHeadBeyondTheLimitIs431WhateverTheSplit(int size) {
        HttpHarness h = new HttpHarness(1 << 20, 1024, 1024);
        String request = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(size) + "\r\n\r\n";
        for (char c : request.toCharArray()) {
            h.send(String.valueOf(c));
        }
        assertTrue(h.drainText().startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assertEquals(1, h.counters.get(HttpError.HEAD_TOO_LARGE));
        h.channel.receiveFin();
        h.finish();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "GET /nothing-here HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                   | 404 Not Found",
        "GET /bytes/ HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                         | 404 Not Found",
        "GET /bytes/12x HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                      | 404 Not Found",
        "GET /bytes/1234567890123456789 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n      | 404 Not Found",
        "GET * HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                               | 404 Not Found",
        "DELETE /echo HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                        | 405 Method Not Allowed",
        "get / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                               | 501 Not Implemented",
    })
    void unknownResourcesAndMethodsKeepTheConnection(String escaped, String status) {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send(unescape(escaped) + "GET /bytes/2 HTTP/1.1\r\nHost: x\r\n\r\n");
        var responses = h.responses();
        assertEquals(2, responses.size());
        assertEquals(status + "\n", responses.get(0).bodyText());
        assertEquals("01", responses.get(1).bodyText());
        h.finish();
    }

    @org.junit.jupiter.api.Test
    void expectContinueOnAResourceThatIgnoresTheBodyClosesInsteadOfWaitingForIt() {
        HttpHarness h = new HttpHarness(1 << 20);
        h.send("PUT /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
        assertEquals(head(404, "Not Found", "text/plain; charset=utf-8", 14, "Connection: close\r\n")
                + "404 Not Found\n", h.drainText());
        assertTrue(h.channel.outputShutdown());
        h.channel.receiveFin();
        h.finish();
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(n);
            }
        }
        return out.toString();
    }
}
