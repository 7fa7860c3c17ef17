package dev.tuntcp.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits a server's output into responses (test-side, strict, Content-Length framing only). */
final class HttpResponseReader {
    record Response(int status, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final byte[] data;
    private int pos;

    HttpResponseReader(byte[] data) {
        this.data = data;
    }

    /** Every complete response; throws AssertionError on anything malformed. */
    List<Response> readAll() {
        List<Response> out = new ArrayList<>();
        while (pos < data.length) {
            Response r = next();
            if (r == null) {
                throw new AssertionError("truncated response at byte " + pos + " of " + data.length);
            }
            out.add(r);
        }
        return out;
    }

    /** True when the output ends exactly at a response boundary. */
    int position() {
        return pos;
    }

    Response next() {
        int end = indexOf("\r\n\r\n", pos);
        if (end < 0) {
            return null;
        }
        String head = new String(data, pos, end - pos, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        if (!lines[0].matches("HTTP/1\\.1 [1-5][0-9][0-9] [A-Za-z -]+")) {
            throw new AssertionError("bad status line: " + lines[0]);
        }
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(": ");
            if (colon <= 0) {
                throw new AssertionError("bad field line: " + lines[i]);
            }
            headers.put(lines[i].substring(0, colon).toLowerCase(), lines[i].substring(colon + 2));
        }
        int bodyStart = end + 4;
        long length = status < 200 ? 0 : Long.parseLong(headers.getOrDefault("content-length", "-1"));
        if (length < 0) {
            throw new AssertionError("no Content-Length in " + head);
        }
        if (data.length - bodyStart < length) {
            return null;
        }
        byte[] body = new byte[(int) length];
        System.arraycopy(data, bodyStart, body, 0, (int) length);
        pos = bodyStart + (int) length;
        return new Response(status, headers, body);
    }

    private int indexOf(String needle, int from) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= data.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (data[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
