package dev.tuntcp.app;

import dev.tuntcp.socket.PayloadHandler;
import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The handler of every connection to port 5201. When it opens, the {@link IperfService} decides what
 * it is: the control connection of a new test, a candidate data connection of the test that is
 * creating its streams (it becomes a stream once its cookie matches), or a client to turn away with
 * ACCESS_DENIED (as iperf3's server does while busy: the byte is sent without reading anything).
 */
final class IperfConnection extends PumpedHandler implements PayloadHandler {
    private static final ByteBuf DENIED =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {IperfProtocol.ACCESS_DENIED}).asReadOnly());

    enum Role {
        CONTROL,
        STREAM_CANDIDATE,
        /** The cookie is read; the test (perhaps on another loop) is deciding whether it joins. */
        JOINING,
        STREAM,
        DENIED,
        /** Our FIN is queued; input is read and dropped until the client's FIN ends the connection. */
        DRAINING
    }

    private final IperfService service;
    private TcpChannel channel;
    private Role role;
    private IperfSession session;
    private IperfStream stream;
    private byte[] cookie;
    private int cookieBytes;
    private boolean denialSent;

    IperfConnection(IperfService service) {
        super(service.counters);
        this.service = service;
    }

    TcpChannel channel() {
        return channel;
    }

    /** The service of this connection's loop: its counters and its way onto that loop. */
    IperfService service() {
        return service;
    }

    /** Runs {@code task} on this connection's loop (at once when already there). */
    void onOwnLoop(Runnable task) {
        service.onLoop(task);
    }

    /** Runs this connection's pump from elsewhere on the loop (e.g. the control connection). */
    void kick() {
        if (channel != null && !isClosed()) {
            onWritable(channel);
        }
    }

    @Override
    protected void opened(TcpChannel channel) {
        this.channel = channel;
        IperfService.Admission admission = service.admit(this);
        this.role = admission.role();
        this.session = admission.session();
        if (role == Role.STREAM_CANDIDATE) {
            cookie = new byte[IperfProtocol.COOKIE_SIZE];
        }
    }

    /**
     * A stream's data, and the input of a draining connection, is taken where it was received
     * (counted, not copied); the control connection and a candidate's cookie leave it unread, to be
     * read in {@link #pump} (PayloadHandler).
     */
    @Override
    public void onPayload(TcpChannel channel, ByteBuf payload) {
        if (isClosed()) {
            return;
        }
        switch (role) {
            case STREAM -> stream.take(payload);
            case DRAINING -> payload.skipBytes(payload.readableBytes());
            default -> {
            }
        }
    }

    @Override
    protected void pump(TcpChannel channel) {
        switch (role) {
            case CONTROL -> session.pumpControl(channel);
            case STREAM -> stream.pump(channel);
            case STREAM_CANDIDATE -> readCookie(channel);
            case JOINING -> {
                // nothing yet: what arrives waits in the receive buffer until the test answers
            }
            case DENIED -> deny(channel);
            case DRAINING -> drain(channel);
        }
    }

    /**
     * Ends this side gracefully: FIN after what is queued, then input is read and dropped until the
     * client closes. Closing with unread input instead would reset the connection (RFC 1122
     * §4.2.2.13) and could destroy a last message, such as ACCESS_DENIED or SERVER_ERROR, before the
     * client has read it.
     */
    void finishGracefully() {
        if (isClosed() || role == Role.DRAINING) {
            return;
        }
        role = Role.DRAINING;
        channel.shutdownOutput();
        kick();
    }

    private static void drain(TcpChannel channel) {
        for (ByteBuf data; (data = channel.read(IperfStream.CHUNK)) != null; ) {
            data.release();
        }
    }

    private void readCookie(TcpChannel channel) {
        while (cookieBytes < cookie.length) {
            ByteBuf data = channel.read(cookie.length - cookieBytes);
            if (data == null) {
                if (channel.isInputShutdown()) {
                    finishGracefully(); // the client gave up before naming its test
                }
                return;
            }
            int n = data.readableBytes();
            data.readBytes(cookie, cookieBytes, n);
            data.release();
            cookieBytes += n;
        }
        role = Role.JOINING;
        session.requestJoin(this, cookie);
    }

    /**
     * The test's answer to {@link IperfSession#requestJoin}, on this connection's loop: the stream
     * this connection now is, or null to turn it away with ACCESS_DENIED.
     */
    void joined(IperfStream joined) {
        if (isClosed() || role != Role.JOINING) {
            return;
        }
        if (joined == null) {
            role = Role.DENIED;
            kick();
            return;
        }
        stream = joined;
        role = Role.STREAM;
        if (session.parameters().noDelay()) {
            channel.setTcpNoDelay(true);
        }
        kick();
    }

    private void deny(TcpChannel channel) {
        if (!denialSent && channel.write(DENIED.duplicate()) == 1) {
            denialSent = true;
            finishGracefully();
        } else {
            drain(channel);
        }
    }

    @Override
    protected void release() {
        if (session != null) {
            session.gone(this);
        }
    }
}
