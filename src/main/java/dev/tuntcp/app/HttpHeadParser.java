package dev.tuntcp.app;

import io.netty.buffer.ByteBuf;

/**
 * An incremental parser for one HTTP/1.1 request head (RFC 9112 §2-§5) over a {@link ByteBuf}.
 *
 * <p>Call {@link #parse} with the connection's unconsumed input each time more has arrived; it
 * remembers how far it has looked for the end of the head (offsets relative to the reader index), so
 * a head arriving one byte at a time costs linear time, and the result never depends on how the
 * bytes were split. It reads the buffer without moving its indices, allocates only the method and
 * path strings of a complete head, and never throws: every input is {@link Status#NEED_MORE}, a
 * {@link HttpRequestHead} or an {@link HttpError}. Only the first {@code maxHeadBytes} bytes are
 * ever examined. {@link #reset} before the next request.
 */
final class HttpHeadParser {
    enum Status { NEED_MORE, COMPLETE, ERROR }

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final byte SP = ' ';
    private static final byte HTAB = '\t';

    private final int maxHeadBytes;

    // Where the search for the empty line that ends the head has got to.
    private int scanned;
    private int lineStart;
    private int headStart;
    private boolean sawRequestLine;

    // The outcome.
    private HttpRequestHead head;
    private HttpError error;
    private int headLength;

    // Fields gathered while parsing a complete head.
    private long contentLength;
    private boolean transferEncoding;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean expectContinue;
    private int hosts;

    HttpHeadParser(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    void reset() {
        scanned = 0;
        lineStart = 0;
        headStart = 0;
        sawRequestLine = false;
        head = null;
        error = null;
        headLength = 0;
    }

    HttpRequestHead head() {
        return head;
    }

    HttpError error() {
        return error;
    }

    /** After {@link Status#COMPLETE}: the bytes from the reader index that the head occupied. */
    int headLength() {
        return headLength;
    }

    /** True when some of a request (not just the empty lines RFC 9112 §2.2 allows before one) has arrived. */
    boolean sawRequestBytes() {
        return sawRequestLine || scanned > lineStart;
    }

    Status parse(ByteBuf in) {
        if (error != null) {
            return Status.ERROR;
        }
        if (head != null) {
            return Status.COMPLETE;
        }
        int base = in.readerIndex();
        int limit = Math.min(in.readableBytes(), maxHeadBytes);
        while (scanned < limit) {
            int lf = in.indexOf(base + scanned, base + limit, LF);
            if (lf < 0) {
                scanned = limit;
                break;
            }
            int lfOffset = lf - base;
            scanned = lfOffset + 1;
            // RFC 9112 §2.2: a line ends with CRLF, or a bare LF that a recipient may accept.
            boolean crBefore = lfOffset > lineStart && in.getByte(lf - 1) == CR;
            boolean empty = (crBefore ? lfOffset - 1 : lfOffset) == lineStart;
            if (empty && sawRequestLine) {
                headLength = scanned;
                return finish(in, base);
            }
            if (empty) {
                headStart = scanned; // RFC 9112 §2.2: ignore empty lines before the request-line
            } else {
                sawRequestLine = true;
            }
            lineStart = scanned;
        }
        if (scanned >= maxHeadBytes) {
            return fail(HttpError.HEAD_TOO_LARGE);
        }
        return Status.NEED_MORE;
    }

    private Status fail(HttpError e) {
        error = e;
        return Status.ERROR;
    }

    private Status finish(ByteBuf in, int base) {
        contentLength = HttpRequestHead.NO_CONTENT_LENGTH;
        transferEncoding = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
        hosts = 0;

        int end = base + headLength;
        int pos = base + headStart;
        int lf = in.indexOf(pos, end, LF);
        int lineEnd = withoutCr(in, pos, lf);
        if (in.indexOf(pos, lineEnd, CR) >= 0) {
            return fail(HttpError.BARE_CR);
        }
        HttpRequestLine line = new HttpRequestLine();
        HttpError e = line.parse(in, pos, lineEnd);
        if (e != null) {
            return fail(e);
        }
        for (pos = lf + 1; ; pos = lf + 1) {
            lf = in.indexOf(pos, end, LF);
            lineEnd = withoutCr(in, pos, lf);
            if (lineEnd == pos) {
                break;
            }
            e = parseField(in, pos, lineEnd);
            if (e != null) {
                return fail(e);
            }
        }
        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request that lacks a Host field or
        // has more than one, and to any request with more than one.
        if (line.minor >= 1 ? hosts != 1 : hosts > 1) {
            return fail(HttpError.BAD_HOST);
        }
        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
        boolean keepAlive = !connectionClose && (line.minor >= 1 || connectionKeepAlive);
        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
        head = new HttpRequestHead(line.method, line.path, line.minor, contentLength, transferEncoding,
                keepAlive, expectContinue && line.minor >= 1);
        return Status.COMPLETE;
    }

    private static int withoutCr(ByteBuf in, int start, int lf) {
        return lf > start && in.getByte(lf - 1) == CR ? lf - 1 : lf;
    }

    /** RFC 9112 §5.1: {@code field-line = field-name ":" OWS field-value OWS}. */
    private HttpError parseField(ByteBuf in, int start, int end) {
        if (in.indexOf(start, end, CR) >= 0) {
            return HttpError.BARE_CR;
        }
        byte first = in.getByte(start);
        if (first == SP || first == HTAB) {
            return HttpError.OBS_FOLD;
        }
        int colon = in.indexOf(start, end, (byte) ':');
        // No whitespace is allowed between the name and the colon (RFC 9112 §5.1: MUST reject).
        if (colon <= start || !HttpSyntax.allTchar(in, start, colon)) {
            return HttpError.BAD_HEADER;
        }
        int vs = colon + 1;
        while (vs < end && HttpSyntax.isOws(in.getByte(vs))) {
            vs++;
        }
        int ve = end;
        while (ve > vs && HttpSyntax.isOws(in.getByte(ve - 1))) {
            ve--;
        }
        for (int i = vs; i < ve; i++) {
            int b = in.getByte(i) & 0xff;
            // RFC 9110 §5.5: field-vchar (VCHAR / obs-text), SP and HTAB; never CTLs or DEL.
            if (b != HTAB && (b < 0x20 || b == 0x7f)) {
                return HttpError.BAD_HEADER;
            }
        }
        int nameLength = colon - start;
        if (HttpSyntax.nameIs(in, start, nameLength, "content-length")) {
            return contentLength(in, vs, ve);
        } else if (HttpSyntax.nameIs(in, start, nameLength, "transfer-encoding")) {
            transferEncoding = true;
        } else if (HttpSyntax.nameIs(in, start, nameLength, "connection")) {
            connectionOptions(in, vs, ve);
        } else if (HttpSyntax.nameIs(in, start, nameLength, "expect")) {
            if (HttpSyntax.equalsIgnoreCase(in, vs, ve - vs, "100-continue")) {
                expectContinue = true;
            } else if (ve > vs) {
                return HttpError.UNSUPPORTED_EXPECTATION;
            }
        } else if (HttpSyntax.nameIs(in, start, nameLength, "host")) {
            hosts++;
        }
        return null;
    }

    /**
     * RFC 9110 §8.6: {@code 1*DIGIT}; a list of identical values (or repeated identical fields) may
     * be accepted as that value; anything else is an error.
     */
    private HttpError contentLength(ByteBuf in, int start, int end) {
        long agreed = HttpRequestHead.NO_CONTENT_LENGTH;
        int pos = start;
        while (true) {
            while (pos < end && HttpSyntax.isOws(in.getByte(pos))) {
                pos++;
            }
            int digits = pos;
            while (pos < end && in.getByte(pos) == '0') {
                pos++;
            }
            int significant = pos;
            long value = 0;
            while (pos < end && HttpSyntax.isDigit(in.getByte(pos))) {
                if (pos - significant < 18) {
                    value = value * 10 + (in.getByte(pos) - '0');
                }
                pos++;
            }
            if (pos == digits) {
                return HttpError.BAD_CONTENT_LENGTH;
            }
            if (pos - significant > 18) {
                value = HttpRequestHead.HUGE_CONTENT_LENGTH;
            }
            if (agreed != HttpRequestHead.NO_CONTENT_LENGTH && agreed != value) {
                return HttpError.BAD_CONTENT_LENGTH;
            }
            agreed = value;
            while (pos < end && HttpSyntax.isOws(in.getByte(pos))) {
                pos++;
            }
            if (pos == end) {
                break;
            }
            if (in.getByte(pos) != ',') {
                return HttpError.BAD_CONTENT_LENGTH;
            }
            pos++;
        }
        if (contentLength != HttpRequestHead.NO_CONTENT_LENGTH && contentLength != agreed) {
            return HttpError.BAD_CONTENT_LENGTH;
        }
        contentLength = agreed;
        return null;
    }

    /** RFC 9110 §7.6.1: {@code Connection: #connection-option}; only close and keep-alive matter. */
    private void connectionOptions(ByteBuf in, int start, int end) {
        int pos = start;
        while (pos < end) {
            int comma = in.indexOf(pos, end, (byte) ',');
            int itemEnd = comma < 0 ? end : comma;
            int s = pos;
            int e = itemEnd;
            while (s < e && HttpSyntax.isOws(in.getByte(s))) {
                s++;
            }
            while (e > s && HttpSyntax.isOws(in.getByte(e - 1))) {
                e--;
            }
            if (HttpSyntax.equalsIgnoreCase(in, s, e - s, "close")) {
                connectionClose = true;
            } else if (HttpSyntax.equalsIgnoreCase(in, s, e - s, "keep-alive")) {
                connectionKeepAlive = true;
            }
            pos = itemEnd + 1;
        }
    }

}
