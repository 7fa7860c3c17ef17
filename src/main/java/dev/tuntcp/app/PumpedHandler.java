package dev.tuntcp.app;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;

/**
 * The skeleton every service handler shares: each callback runs one {@link #pump} that moves as
 * many bytes as the channel allows right now and returns (reads are pulled until
 * {@link TcpChannel#read} says null; writes stop when {@link TcpChannel#write} takes less than
 * offered, and the stack's onWritable resumes them).
 *
 * <p>It also makes the handler safe to call back into: a callback that arrives while a pump is
 * running (should a channel call re-enter) only asks for another round; {@link #onClosed} during a
 * pump defers {@link #release} until the pump unwinds; and a bug that throws aborts this one
 * connection and is counted instead of unwinding into the stack.
 */
abstract class PumpedHandler implements ConnectionHandler {
    protected final Counters counters;
    private TcpChannel channel;
    private boolean pumping;
    private boolean again;
    private boolean closed;
    private boolean released;

    PumpedHandler(Counters counters) {
        this.counters = counters;
    }

    /** Moves bytes until the channel has no input or no room; must not block. */
    protected abstract void pump(TcpChannel channel);

    /** Releases every buffer the handler still owns; called once, after the connection is gone. */
    protected abstract void release();

    /** Called once before the first pump (e.g. to count the connection). */
    protected void opened(TcpChannel channel) {
    }

    /** True once the connection is gone; a pump must stop touching the channel then. */
    protected final boolean isClosed() {
        return closed;
    }

    @Override
    public final void onOpen(TcpChannel channel) {
        this.channel = channel;
        opened(channel);
        run();
    }

    @Override
    public final void onReadable(TcpChannel channel) {
        run();
    }

    @Override
    public final void onWritable(TcpChannel channel) {
        run();
    }

    @Override
    public final void onClosed(TcpChannel channel, CloseReason reason) {
        closed = true;
        if (!pumping) {
            releaseOnce();
        }
    }

    private void run() {
        if (closed || channel == null) {
            return;
        }
        if (pumping) {
            again = true;
            return;
        }
        pumping = true;
        try {
            do {
                again = false;
                pump(channel);
            } while (again && !closed);
        } catch (RuntimeException bug) {
            counters.increment(ServiceCounter.INTERNAL_ERRORS);
            if (!closed) {
                closed = true;
                channel.abort();
            }
        } finally {
            pumping = false;
            if (closed) {
                releaseOnce();
            }
        }
    }

    private void releaseOnce() {
        if (!released) {
            released = true;
            release();
        }
    }
}
