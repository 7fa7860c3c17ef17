package dev.tuntcp.app;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** RFC 9112 §3: {@code request-line = method SP request-target SP HTTP-version}. */
final class HttpRequestLine {
    String method;
    String path;
    int minor;

    HttpError parse(ByteBuf in, int start, int end) {
        int sp1 = in.indexOf(start, end, HttpSyntax.SP);
        if (sp1 <= start || !HttpSyntax.allTchar(in, start, sp1)) {
            return HttpError.BAD_REQUEST_LINE;
        }
        int sp2 = in.indexOf(sp1 + 1, end, HttpSyntax.SP);
        if (sp2 < 0 || sp2 == sp1 + 1) {
            return HttpError.BAD_REQUEST_LINE;
        }
        // RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive.
        int v = sp2 + 1;
        if (end - v != 8 || !HttpSyntax.equalsExactly(in, v, "HTTP/") || !HttpSyntax.isDigit(in.getByte(v + 5))
                || in.getByte(v + 6) != '.' || !HttpSyntax.isDigit(in.getByte(v + 7))) {
            return HttpError.BAD_VERSION;
        }
        if (in.getByte(v + 5) != '1') {
            return HttpError.UNSUPPORTED_VERSION;
        }
        minor = in.getByte(v + 7) - '0';
        for (int i = sp1 + 1; i < sp2; i++) {
            byte b = in.getByte(i);
            if (b < 0x21 || b > 0x7e) {
                return HttpError.BAD_TARGET;
            }
        }
        path = targetPath(in, sp1 + 1, sp2);
        if (path == null) {
            return HttpError.BAD_TARGET;
        }
        method = in.toString(start, sp1 - start, StandardCharsets.US_ASCII);
        return null;
    }

    /**
     * RFC 9112 §3.2: origin-form ({@code /path?query}), absolute-form
     * ({@code scheme://authority/path?query}, which a server MUST accept) or asterisk-form; the
     * authority-form only serves CONNECT, which this server does not implement.
     */
    private static String targetPath(ByteBuf in, int start, int end) {
        byte first = in.getByte(start);
        if (first == '/') {
            return pathUpToQuery(in, start, end);
        }
        if (first == '*' && end - start == 1) {
            return "*";
        }
        int colon = in.indexOf(start, end, (byte) ':');
        if (colon <= start || !HttpSyntax.isAlpha(first) || end - colon < 3
                || in.getByte(colon + 1) != '/' || in.getByte(colon + 2) != '/') {
            return null;
        }
        for (int i = start + 1; i < colon; i++) {
            byte b = in.getByte(i);
            if (!HttpSyntax.isAlpha(b) && !HttpSyntax.isDigit(b) && b != '+' && b != '-' && b != '.') {
                return null;
            }
        }
        int authority = colon + 3;
        int slash = in.indexOf(authority, end, (byte) '/');
        int query = in.indexOf(authority, end, (byte) '?');
        if (slash < 0 || (query >= 0 && query < slash)) {
            return "/"; // RFC 9112 §3.2.2 (via §3.3): an empty path is "/"
        }
        return pathUpToQuery(in, slash, end);
    }

    private static String pathUpToQuery(ByteBuf in, int start, int end) {
        int query = in.indexOf(start, end, (byte) '?');
        int pathEnd = query < 0 ? end : query;
        return in.toString(start, pathEnd - start, StandardCharsets.US_ASCII);
    }
}
