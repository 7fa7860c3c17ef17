package dev.tuntcp.testing;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;

/**
 * A {@link ConnectionHandler} that does nothing with any event: for tests whose subject is the
 * segments TCP exchanges, not what the application does with them.
 */
public final class IgnoringHandler implements ConnectionHandler {
    public static final ConnectionHandler INSTANCE = new IgnoringHandler();

    private IgnoringHandler() {
    }

    @Override
    public void onOpen(TcpChannel channel) {
    }

    @Override
    public void onReadable(TcpChannel channel) {
    }

    @Override
    public void onWritable(TcpChannel channel) {
    }

    @Override
    public void onClosed(TcpChannel channel, CloseReason reason) {
    }
}
