package dev.tuntcp.socket;

import io.netty.buffer.ByteBuf;

/**
 * A {@link ConnectionHandler} that takes received data without a copy (DESIGN §3: "received payload
 * is kept as retained slices where that avoids a copy"). In-order data is lent to
 * {@link #onPayload} straight out of the buffer the packet was received into — the TUN read buffer,
 * or a simulated link's packet — instead of being copied into the connection's receive buffer and
 * copied again into the buffer {@link TcpChannel#read} returns. For handlers that only count or
 * parse what arrives (discard, an iperf3 receiver) this takes both copies and the per-read buffer
 * off the receive path.
 *
 * <p><b>Ownership of {@code payload}.</b> It is <em>borrowed</em>: its readable bytes are the new
 * in-order data of one segment, valid only for the duration of the call. The handler never releases
 * or retains it, never keeps a reference to it, never writes into it. It takes bytes by advancing the
 * reader index:
 * <ul>
 *   <li>{@code payload.skipBytes(n)} — consumed (counted, or parsed in place with {@code get*});</li>
 *   <li>{@code payload.readBytes(...)} — copied out;</li>
 *   <li>{@code payload.readRetainedSlice(n)} — kept without a copy: the slice is the handler's, which
 *       must release it. It pins the memory of the whole received packet until released, and that
 *       memory is not counted in the receive window: a handler that keeps slices bounds them itself.</li>
 * </ul>
 * Whatever is still readable when {@code onPayload} returns is copied into the receive buffer, as
 * for any handler, and announced with {@link #onReadable}; so a handler may take only what it wants
 * now (or nothing, e.g. while it still parses a header with {@link TcpChannel#read}).
 *
 * <p><b>When data comes this way.</b> Only while nothing waits in the receive buffer, so bytes reach
 * the application in order whichever way they come. Data that arrives while earlier data waits
 * unread, and data that arrived out of order (held in the receive buffer's free space until the gap
 * before it fills, {@code OutOfOrderQueue}), is read with {@link TcpChannel#read} after
 * {@link #onReadable} as before. A payload handler therefore reads in {@code onReadable} too, and
 * learns of the peer's FIN there ({@link TcpChannel#isInputShutdown}).
 *
 * <p>Like every callback it runs on the event-loop thread once the segment has been processed
 * (never in the middle of RFC 9293 §3.10.7), and may call any {@link TcpChannel} method.
 */
public interface PayloadHandler extends ConnectionHandler {

    /** New in-order data, borrowed (see the interface comment); take bytes by reading them. */
    void onPayload(TcpChannel channel, ByteBuf payload);
}
