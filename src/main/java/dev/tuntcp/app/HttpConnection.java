package dev.tuntcp.app;

import dev.tuntcp.app.HttpResponses.Persistence;
import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP connection of {@link HttpService}: a state machine that handles one request at a time.
 * It reads from the channel only as far as the current step needs (a head, or the body being echoed
 * or skipped), so pipelined requests wait in the receive buffer and the window throttles a client
 * that sends faster than responses drain; it produces response bytes only when the previous ones
 * have been taken by the channel.
 *
 * <p>Buffers owned here, all released by {@link #release} at the latest: {@code inbox} (input read
 * for a head, at most maxHeadBytes plus one read), {@code outbox} (a response head and small body
 * the channel has not yet taken) and {@code held} (one echoed chunk the channel has not yet taken).
 */
final class HttpConnection extends PumpedHandler {
    static final int READ_CHUNK = 16 * 1024;

    private enum Phase {
        /** Reading and parsing a request head. */
        HEAD,
        /** Producing a streamed response body. */
        BODY,
        /** Consuming a request body nobody needs, then ending the response. */
        SKIP_REQUEST_BODY,
        /** Our FIN is queued; reading and dropping input until the peer's FIN. */
        LINGER,
        /** Nothing left to do; waiting for onClosed. */
        DONE
    }

    private enum Body { PATTERN, ECHO }

    private final HttpService service;
    private final HttpHeadParser parser;
    private Phase phase = Phase.HEAD;
    private ByteBuf inbox;
    private ByteBuf outbox;
    private ByteBuf held;
    private Body body;
    private long bodyRemaining;
    private long requestBodyRemaining;
    private RepeatingPattern.Cursor cursor;
    private boolean closeAfterResponse;
    private boolean confirmKeepAlive;

    HttpConnection(HttpService service) {
        super(service.counters);
        this.service = service;
        this.parser = new HttpHeadParser(service.maxHeadBytes);
    }

    @Override
    protected void opened(TcpChannel channel) {
        counters.increment(ServiceCounter.HTTP_CONNECTIONS);
    }

    @Override
    protected void pump(TcpChannel channel) {
        while (!isClosed() && flushOutbox(channel) && step(channel)) {
            // Each step makes progress or reports that it waits for input or send room.
        }
    }

    private boolean step(TcpChannel channel) {
        switch (phase) {
            case HEAD:
                return readHead(channel);
            case BODY:
                return body == Body.PATTERN ? streamPattern(channel) : streamEcho(channel);
            case SKIP_REQUEST_BODY:
                return skipRequestBody(channel);
            case LINGER:
                return linger(channel);
            default:
                return false;
        }
    }

    private boolean flushOutbox(TcpChannel channel) {
        if (outbox == null) {
            return true;
        }
        channel.write(outbox);
        if (outbox.isReadable()) {
            return false;
        }
        outbox.release();
        outbox = null;
        return true;
    }

    private boolean readHead(TcpChannel channel) {
        HttpHeadParser.Status status = inbox == null ? HttpHeadParser.Status.NEED_MORE : parser.parse(inbox);
        if (status == HttpHeadParser.Status.ERROR) {
            return fail(parser.error());
        }
        if (status == HttpHeadParser.Status.COMPLETE) {
            HttpRequestHead head = parser.head();
            inbox.skipBytes(parser.headLength());
            parser.reset();
            compactInbox();
            dispatch(channel, head);
            return true;
        }
        ByteBuf data = channel.read(READ_CHUNK);
        if (data != null) {
            if (inbox == null) {
                inbox = service.allocator.buffer(Math.max(READ_CHUNK, data.readableBytes()));
            }
            inbox.writeBytes(data);
            data.release();
            return true;
        }
        if (!channel.isInputShutdown()) {
            return false;
        }
        if (parser.sawRequestBytes()) {
            return fail(HttpError.INCOMPLETE_REQUEST);
        }
        // The peer closed between requests (RFC 9112 §9.6): close our side as well.
        channel.shutdownOutput();
        releaseInbox();
        phase = Phase.DONE;
        return false;
    }

    private void dispatch(TcpChannel channel, HttpRequestHead head) {
        counters.increment(ServiceCounter.HTTP_REQUESTS);
        closeAfterResponse = !head.keepAlive();
        confirmKeepAlive = head.keepAlive() && head.minorVersion() == 0;
        long length = head.contentLength();
        requestBodyRemaining = Math.max(length, 0);
        if (requestBodyRemaining > service.maxBodyBytes) {
            closeAfterResponse = true; // too much to skip: the connection ends after the response
        }
        if (head.expectContinue() && !(head.path().equals("/echo") && head.method().equals("POST"))) {
            // The client holds the body back until it hears 100 Continue, which only /echo sends:
            // waiting to skip that body could wait forever, so end the connection instead.
            closeAfterResponse = true;
        }
        if (head.hasTransferEncoding()) {
            fail(HttpError.UNSUPPORTED_TRANSFER_CODING);
            return;
        }
        String method = head.method();
        String path = head.path();
        boolean get = method.equals("GET");
        boolean headOnly = method.equals("HEAD");
        long n = HttpService.bytesCount(path);
        if (!HttpService.isKnownMethod(method)) {
            textResponse(501, "Not Implemented", null, headOnly);
        } else if (path.equals("/")) {
            if (get || headOnly) {
                byte[] page = HttpService.homePage(channel).getBytes(StandardCharsets.UTF_8);
                writeHead(200, "OK", "text/html; charset=utf-8", page.length, null);
                if (get) {
                    outbox().writeBytes(page);
                }
                phase = Phase.SKIP_REQUEST_BODY;
            } else {
                textResponse(405, "Method Not Allowed", "GET, HEAD", false);
            }
        } else if (n >= 0) {
            if (get || headOnly) {
                writeHead(200, "OK", "application/octet-stream", n, null);
                startBody(get ? Body.PATTERN : null, get ? n : 0);
            } else {
                textResponse(405, "Method Not Allowed", "GET, HEAD", false);
            }
        } else if (path.equals("/echo")) {
            if (method.equals("POST")) {
                echo(length, head.expectContinue());
            } else {
                textResponse(405, "Method Not Allowed", "POST", headOnly);
            }
        } else {
            textResponse(404, "Not Found", null, headOnly);
        }
    }

    private void echo(long length, boolean expectContinue) {
        if (length == HttpRequestHead.NO_CONTENT_LENGTH) {
            fail(HttpError.LENGTH_REQUIRED);
            return;
        }
        if (length > service.maxBodyBytes) {
            // RFC 9110 §15.5.14; no 100 Continue, so a polite client never sends the body.
            fail(HttpError.BODY_TOO_LARGE);
            return;
        }
        if (expectContinue) {
            ByteBufUtil.writeAscii(outbox(), HttpResponses.CONTINUE);
        }
        writeHead(200, "OK", "application/octet-stream", length, null);
        startBody(Body.ECHO, length);
    }

    private void startBody(Body kind, long length) {
        if (kind == null || length == 0) {
            phase = Phase.SKIP_REQUEST_BODY;
            return;
        }
        body = kind;
        bodyRemaining = length;
        if (kind == Body.PATTERN) {
            cursor = RepeatingPattern.BYTES.cursor(0);
        }
        phase = Phase.BODY;
    }

    private void textResponse(int status, String reason, String allow, boolean headOnly) {
        String text = status + " " + reason + "\n";
        writeHead(status, reason, "text/plain; charset=utf-8", text.length(), allow);
        if (!headOnly) {
            ByteBufUtil.writeAscii(outbox(), text);
        }
        phase = Phase.SKIP_REQUEST_BODY;
    }

    /** Answers a bad request and closes: after a framing error nothing later can be trusted. */
    private boolean fail(HttpError error) {
        counters.increment(error);
        releaseInbox();
        parser.reset();
        closeAfterResponse = true;
        requestBodyRemaining = 0;
        textResponse(error.status, error.reason, null, false);
        return true;
    }

    private void writeHead(int status, String reason, String contentType, long length, String allow) {
        Persistence persistence = closeAfterResponse ? Persistence.CLOSE
                : confirmKeepAlive ? Persistence.KEEP_ALIVE : Persistence.DEFAULT;
        HttpResponses.head(outbox(), status, reason, service.date.now(), contentType, length, allow, persistence);
    }

    private boolean streamPattern(TcpChannel channel) {
        long taken = cursor.writeTo(channel, bodyRemaining);
        bodyRemaining -= taken;
        counters.add(ServiceCounter.HTTP_BODY_BYTES, taken);
        if (bodyRemaining > 0) {
            return false; // onWritable resumes
        }
        phase = Phase.SKIP_REQUEST_BODY;
        return true;
    }

    private boolean streamEcho(TcpChannel channel) {
        while (!isClosed()) {
            if (held != null) {
                int before = held.readableBytes();
                channel.write(held);
                counters.add(ServiceCounter.HTTP_BODY_BYTES, before - held.readableBytes());
                if (held.isReadable()) {
                    return false;
                }
                held.release();
                held = null;
            }
            if (bodyRemaining == 0) {
                phase = Phase.SKIP_REQUEST_BODY;
                return true;
            }
            if (inbox != null) {
                // Body bytes that arrived together with the head: echo them straight from the inbox.
                int n = (int) Math.min(inbox.readableBytes(), bodyRemaining);
                int taken = channel.write(inbox.slice(inbox.readerIndex(), n));
                inbox.skipBytes(taken);
                bodyRemaining -= taken;
                requestBodyRemaining -= taken;
                counters.add(ServiceCounter.HTTP_BODY_BYTES, taken);
                if (taken < n) {
                    return false;
                }
                compactInbox();
                continue;
            }
            ByteBuf data = channel.read((int) Math.min(READ_CHUNK, bodyRemaining));
            if (data == null) {
                if (channel.isInputShutdown()) {
                    // The body ended early: the response cannot be completed, so end it short.
                    counters.increment(HttpError.INCOMPLETE_REQUEST);
                    return closeNow(channel);
                }
                return false;
            }
            bodyRemaining -= data.readableBytes();
            requestBodyRemaining -= data.readableBytes();
            held = data;
        }
        return false;
    }

    private boolean skipRequestBody(TcpChannel channel) {
        while (requestBodyRemaining > 0 && !closeAfterResponse) {
            if (inbox != null) {
                int n = (int) Math.min(inbox.readableBytes(), requestBodyRemaining);
                inbox.skipBytes(n);
                requestBodyRemaining -= n;
                compactInbox();
                continue;
            }
            ByteBuf data = channel.read((int) Math.min(READ_CHUNK, requestBodyRemaining));
            if (data == null) {
                if (channel.isInputShutdown()) {
                    return closeNow(channel);
                }
                return false;
            }
            requestBodyRemaining -= data.readableBytes();
            data.release();
        }
        body = null;
        if (closeAfterResponse) {
            return closeNow(channel);
        }
        phase = Phase.HEAD;
        return true;
    }

    /**
     * Half-closes after everything queued, then keeps reading (and dropping) until the peer's FIN,
     * so unread input never turns the close into a reset that could destroy the response in flight.
     */
    private boolean closeNow(TcpChannel channel) {
        channel.shutdownOutput();
        releaseInbox();
        phase = Phase.LINGER;
        return true;
    }

    private boolean linger(TcpChannel channel) {
        ByteBuf data = channel.read(READ_CHUNK);
        if (data != null) {
            data.release();
            return true;
        }
        if (channel.isInputShutdown()) {
            phase = Phase.DONE;
        }
        return false;
    }

    private ByteBuf outbox() {
        if (outbox == null) {
            outbox = service.allocator.buffer(512);
        }
        return outbox;
    }

    private void compactInbox() {
        if (inbox != null && !inbox.isReadable()) {
            releaseInbox();
        } else if (inbox != null) {
            inbox.discardSomeReadBytes();
        }
    }

    private void releaseInbox() {
        if (inbox != null) {
            inbox.release();
            inbox = null;
        }
    }

    @Override
    protected void release() {
        releaseInbox();
        if (outbox != null) {
            outbox.release();
            outbox = null;
        }
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
