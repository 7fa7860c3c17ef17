package dev.tuntcp.cli;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.socket.TcpChannel;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SocketStack} that passes everything through and remembers how the (one) connection it
 * opened ended, which a blocking {@link dev.tuntcp.socket.TcpSocket} does not say: {@code connect}
 * exits 0 only after a clean close, i.e. both FINs sent and acknowledged — onClosed(CLOSED) comes
 * when our side reaches TIME-WAIT or, after a passive close, CLOSED (RFC 9293 §3.6).
 */
final class WatchedStack implements SocketStack {
    private final SocketStack inner;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile ConnectionHandler.CloseReason reason;
    private volatile String softError;

    WatchedStack(SocketStack inner) {
        this.inner = inner;
    }

    @Override
    public void execute(Runnable task) {
        inner.execute(task);
    }

    @Override
    public boolean inEventLoop() {
        return inner.inEventLoop();
    }

    @Override
    public Listening listen(int port, ConnectionHandlerFactory factory) throws BindException {
        return inner.listen(port, factory);
    }

    @Override
    public void connect(int remoteAddress, int remotePort, ConnectionHandler handler) {
        inner.connect(remoteAddress, remotePort, new ConnectionHandler() {
            @Override
            public void onOpen(TcpChannel channel) {
                handler.onOpen(channel);
            }

            @Override
            public void onReadable(TcpChannel channel) {
                handler.onReadable(channel);
            }

            @Override
            public void onWritable(TcpChannel channel) {
                handler.onWritable(channel);
            }

            @Override
            public void onClosed(TcpChannel channel, CloseReason why) {
                softError = channel.softError();
                reason = why;
                ended.countDown();
                handler.onClosed(channel, why);
            }
        });
    }

    /** Waits up to {@code millis} for the connection to end; its reason, or null if it has not. */
    ConnectionHandler.CloseReason awaitEnd(long millis) throws InterruptedException {
        ended.await(millis, TimeUnit.MILLISECONDS);
        return reason;
    }

    /** The connection's last ICMP soft error when it ended ({@link TcpChannel#softError()}), or null. */
    String softError() {
        return softError;
    }

    /** How the connection ended, or null while it lives. */
    ConnectionHandler.CloseReason reason() {
        return reason;
    }
}
