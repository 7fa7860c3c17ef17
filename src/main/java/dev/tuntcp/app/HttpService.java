package dev.tuntcp.app;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.Ipv4Literal;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Clock;
import java.util.Set;

/**
 * The HTTP/1.1 service (TCP port 80, DESIGN §4): persistent connections with Content-Length framing
 * (RFC 9112 §6, §9.3), one request at a time so pipelined requests are answered in order.
 *
 * <ul>
 *   <li>{@code GET /}: a small HTML page about tuntcp.
 *   <li>{@code GET /bytes/N}: N bytes (N up to 18 digits) of the 64-byte line
 *       {@value RepeatingPattern#BYTES_LINE} repeated, generated as the send buffer frees; the body
 *       equals {@code yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ. | head -c N}.
 *   <li>{@code POST /echo}: the request body (Content-Length, at most {@code maxBodyBytes}), streamed
 *       back chunk by chunk as it arrives.
 *   <li>HEAD for the GET resources; 404 for other paths; 405 with Allow for a known method on the
 *       wrong resource; 501 for unknown methods and for request transfer codings; 400, 411, 413,
 *       417, 431 and 505 for bad requests ({@link HttpError}), each closing the connection.
 * </ul>
 *
 * <p>One instance serves any number of connections of one event loop; per-connection memory is
 * bounded by {@code maxHeadBytes} plus a few 16-64 KiB chunks, whatever the client sends.
 */
public final class HttpService implements ConnectionHandlerFactory {
    public static final int PORT = 80;
    public static final int DEFAULT_MAX_HEAD_BYTES = 16 * 1024;
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    /** RFC 9110 §9.3 methods: on the wrong resource these get 405; any other method gets 501. */
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    final Counters counters;
    final ByteBufAllocator allocator;
    final HttpDate date;
    final int maxHeadBytes;
    final long maxBodyBytes;

    public HttpService(Counters counters) {
        this(counters, PooledByteBufAllocator.DEFAULT, Clock.systemUTC(), DEFAULT_MAX_HEAD_BYTES,
                DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * @param allocator for the response heads and request heads being assembled
     * @param wallClock for the Date field
     */
    public HttpService(Counters counters, ByteBufAllocator allocator, Clock wallClock, int maxHeadBytes,
            long maxBodyBytes) {
        if (maxHeadBytes < 64 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxHeadBytes must be >= 64 and maxBodyBytes >= 0");
        }
        this.counters = counters;
        this.allocator = allocator;
        this.date = new HttpDate(wallClock);
        this.maxHeadBytes = maxHeadBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public ConnectionHandler newHandler() {
        return new HttpConnection(this);
    }

    static boolean isKnownMethod(String method) {
        return KNOWN_METHODS.contains(method);
    }

    /** N of a {@code /bytes/N} path (1 to 18 decimal digits), or -1 for any other path. */
    static long bytesCount(String path) {
        String prefix = "/bytes/";
        int digits = path.length() - prefix.length();
        if (!path.startsWith(prefix) || digits < 1 || digits > 18) {
            return -1;
        }
        long n = 0;
        for (int i = prefix.length(); i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The page for {@code GET /}: what answered, and who asked. */
    static String homePage(TcpChannel channel) {
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n"
                + "<head><meta charset=\"utf-8\"><title>tuntcp</title></head>\n"
                + "<body>\n"
                + "<h1>Hello from tuntcp</h1>\n"
                + "<p>This page was served by <b>tuntcp</b>, a TCP/IPv4 stack that runs in user space:"
                + " a Java process reads raw IP packets from a Linux TUN device and does everything else"
                + " itself &mdash; the three-way handshake, sequence numbers, windows, retransmission,"
                + " this HTTP response and the teardown. Your kernel's TCP is just its peer.</p>\n"
                + "<p>You are " + Ipv4Literal.format(channel.remoteAddress()) + " port " + channel.remotePort()
                + "; this connection is " + channel.state() + ".</p>\n"
                + "<ul>\n"
                + "<li><a href=\"/bytes/1048576\">GET /bytes/N</a>: N bytes of a repeating 64-byte line</li>\n"
                + "<li>POST /echo: the request body, sent back</li>\n"
                + "</ul>\n"
                + "</body>\n"
                + "</html>\n";
    }
}
