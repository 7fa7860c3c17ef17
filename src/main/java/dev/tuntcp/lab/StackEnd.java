package dev.tuntcp.lab;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The application on the stack's side of a scenario's connection: it keeps what arrives and tells
 * the scenario when the connection opens, when the peer's FIN has been read and how it ended. Runs
 * on the event loop; the futures may be awaited from the scenario's thread.
 */
public final class StackEnd implements ConnectionHandler {
    public final CompletableFuture<TcpChannel> opened = new CompletableFuture<>();
    /** Completed when the peer's FIN has been read (all data before it taken). */
    public final CompletableFuture<Void> inputShutdown = new CompletableFuture<>();
    public final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private Consumer<TcpChannel> onInputShutdown = c -> { };

    /** Runs {@code action} on the loop as soon as the peer's FIN has been read (e.g. close in turn). */
    public StackEnd whenInputShutdown(Consumer<TcpChannel> action) {
        this.onInputShutdown = action;
        return this;
    }

    @Override
    public void onOpen(TcpChannel channel) {
        opened.complete(channel);
        onReadable(channel);
    }

    @Override
    public void onReadable(TcpChannel channel) {
        ByteBuf b;
        while ((b = channel.read(65536)) != null) {
            try {
                synchronized (received) {
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    received.writeBytes(bytes);
                }
            } finally {
                b.release();
            }
        }
        if (channel.isInputShutdown() && !inputShutdown.isDone()) {
            inputShutdown.complete(null);
            onInputShutdown.accept(channel);
        }
    }

    @Override
    public void onWritable(TcpChannel channel) {
    }

    @Override
    public void onClosed(TcpChannel channel, CloseReason reason) {
        opened.completeExceptionally(new IllegalStateException("connection ended before it opened: " + reason));
        if (!inputShutdown.isDone()) {
            inputShutdown.completeExceptionally(new IllegalStateException("connection ended: " + reason));
        }
        closed.complete(reason);
    }

    /** What the stack has received so far, as text. */
    public String received() {
        synchronized (received) {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code text} on the loop thread (call from a handler or a loop task); returns bytes taken. */
    public static int write(TcpChannel channel, String text) {
        ByteBuf data = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
        try {
            return channel.write(data);
        } finally {
            data.release();
        }
    }
}
