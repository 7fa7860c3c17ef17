package dev.tuntcp.app;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Writes response heads (RFC 9112 §4, §6) as ASCII into a buffer. */
final class HttpResponses {
    /** RFC 9110 §10.1.1: the interim response a client that sent Expect: 100-continue waits for. */
    static final String CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";

    /** How the response speaks about the connection (RFC 9112 §9.3, §9.6). */
    enum Persistence {
        /** HTTP/1.1 default: persistent, nothing to say. */
        DEFAULT,
        /** An HTTP/1.0 client asked for keep-alive: confirm it. */
        KEEP_ALIVE,
        /** The server closes after this response. */
        CLOSE
    }

    private HttpResponses() {
    }

    /**
     * Appends a status line and fields; the body (if any) follows the returned head. A server always
     * sends its own version, HTTP/1.1, whatever minor version the request had (RFC 9110 §2.5).
     *
     * @param allow the Allow field for a 405 (RFC 9110 §15.5.6), or null
     */
    static void head(ByteBuf out, int status, String reason, String date, String contentType,
            long contentLength, String allow, Persistence persistence) {
        ByteBufUtil.writeAscii(out, "HTTP/1.1 ");
        ByteBufUtil.writeAscii(out, Integer.toString(status));
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, reason);
        ByteBufUtil.writeAscii(out, "\r\nDate: ");
        ByteBufUtil.writeAscii(out, date);
        ByteBufUtil.writeAscii(out, "\r\nServer: tuntcp\r\n");
        if (allow != null) {
            ByteBufUtil.writeAscii(out, "Allow: ");
            ByteBufUtil.writeAscii(out, allow);
            ByteBufUtil.writeAscii(out, "\r\n");
        }
        ByteBufUtil.writeAscii(out, "Content-Type: ");
        ByteBufUtil.writeAscii(out, contentType);
        ByteBufUtil.writeAscii(out, "\r\nContent-Length: ");
        ByteBufUtil.writeAscii(out, Long.toString(contentLength));
        ByteBufUtil.writeAscii(out, "\r\n");
        if (persistence == Persistence.CLOSE) {
            ByteBufUtil.writeAscii(out, "Connection: close\r\n");
        } else if (persistence == Persistence.KEEP_ALIVE) {
            ByteBufUtil.writeAscii(out, "Connection: keep-alive\r\n");
        }
        ByteBufUtil.writeAscii(out, "\r\n");
    }
}
