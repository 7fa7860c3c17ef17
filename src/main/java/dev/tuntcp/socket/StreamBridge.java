package dev.tuntcp.socket;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Joins one connection's non-blocking {@link TcpChannel} to blocking streams: this is the event-loop
 * half, a {@link ConnectionHandler} that moves bytes between the channel and the bounded rings of its
 * {@link BlockingStreams} (the application half) and wakes blocked threads.
 *
 * <p>Backpressure both ways: when the inbound ring is full the bridge stops reading, so TCP's receive
 * window closes; when the outbound ring is full, application writes block until the bridge has
 * handed bytes to the channel. The bridge calls exactly one of {@link TcpChannel#shutdownOutput} or
 * {@link TcpChannel#close} (or {@link TcpChannel#abort}), once. Everything here runs on the loop.
 */
final class StreamBridge implements ConnectionHandler {
    private final BlockingStreams streams;
    private final Consumer<StreamBridge> onEstablished;
    private final SocketOptions options;

    private TcpChannel channel;
    private boolean channelGone;
    private boolean readAfterClose;
    private boolean finSent;
    private boolean inputDropped;
    private boolean inputEnded;
    private boolean pumping;
    private boolean pumpAgain;

    /**
     * @param onEstablished called on the loop once the connection is open (a server's accept queue),
     *     or null
     */
    StreamBridge(SocketStack stack, SocketOptions options, Consumer<StreamBridge> onEstablished) {
        this.streams = new BlockingStreams(stack, options, this::pump, this::abort);
        this.onEstablished = onEstablished;
        this.options = options;
    }

    BlockingStreams streams() {
        return streams;
    }

    @Override
    public void onOpen(TcpChannel ch) {
        channel = ch;
        streams.localAddress = ch.localAddress();
        streams.localPort = ch.localPort();
        streams.remoteAddress = ch.remoteAddress();
        streams.remotePort = ch.remotePort();
        if (streams.loopOpened()) {
            // The application gave up (connect timeout, server closed) before the handshake ended.
            abort();
            return;
        }
        options.applyTo(ch);
        if (onEstablished != null) {
            onEstablished.accept(this);
        }
        pump();
    }

    @Override
    public void onReadable(TcpChannel ch) {
        pump();
    }

    @Override
    public void onWritable(TcpChannel ch) {
        pump();
    }

    /**
     * After a clean close the stack may still hold data the application has not read (the peer's
     * FIN can complete the teardown before the inbound ring had room for everything): it stays
     * readable, so the bridge keeps pulling it. After any other end the data is gone.
     */
    @Override
    public void onClosed(TcpChannel ch, CloseReason reason) {
        channelGone = true;
        readAfterClose = reason == CloseReason.CLOSED;
        streams.loopClosed(reason, ch.softError());
        if (readAfterClose) {
            pump();
        }
    }

    /** The stack refused to start the active open (e.g. no free local port). */
    void startFailed(RuntimeException why) {
        streams.loopStartFailed(why);
    }

    /** Resets the connection from the loop (e.g. its server socket has closed). */
    void reject() {
        streams.loopRejected();
        abort();
    }

    /** Resets the connection from the loop because the accept queue is full; counted as such. */
    void rejectAcceptQueueFull() {
        streams.loopRejected();
        if (channel != null && !channelGone) {
            channelGone = true;
            channel.abortAcceptQueueOverflow();
        }
    }

    private void abort() {
        if (channel != null && !channelGone) {
            channelGone = true;
            channel.abort();
        }
    }

    /**
     * Every entry but abort ends here. A channel call may deliver callbacks synchronously (a stack
     * may run pending events at the end of a user call); those only ask for another round, so a
     * ring is never drained from inside its own drain.
     */
    private void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                pullInput();
                flush();
            } while (pumpAgain);
        } finally {
            pumping = false;
        }
    }

    /** Moves received bytes into the inbound ring until it is full or the channel is empty. */
    private void pullInput() {
        while (channel != null && (!channelGone || readAfterClose) && !inputDropped && !inputEnded) {
            int room = streams.loopInputRoom(finSent);
            if (room == 0) {
                return; // the application's read posts a pump once it has made room
            }
            ByteBuf data = channel.read(room);
            if (data == null) {
                // After a clean close nothing more can arrive, whatever isInputShutdown says.
                if (channel.isInputShutdown() || channelGone) {
                    inputEnded = true;
                    streams.loopInputEnded();
                }
                return;
            }
            try {
                streams.loopDeliver(data);
            } finally {
                data.release();
            }
        }
    }

    /** Hands the outbound ring to the channel; sends FIN once it is empty after a shutdown or close. */
    private void flush() {
        if (channel == null || channelGone) {
            return;
        }
        BlockingStreams.Fin fin = streams.loopFlush(channel, finSent);
        if (fin == BlockingStreams.Fin.NONE) {
            return;
        }
        finSent = true;
        if (fin == BlockingStreams.Fin.CLOSE) {
            inputDropped = true; // close() drops further input in the stack itself
            channel.close();
        } else {
            channel.shutdownOutput();
        }
    }
}
