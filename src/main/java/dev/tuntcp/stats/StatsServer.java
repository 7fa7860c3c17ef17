package dev.tuntcp.stats;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The listening end of {@code tuntcp stats}: a Unix-domain socket on which each connection receives
 * one {@link StatsSnapshot} in its line form and is closed. The snapshot comes from {@code source},
 * which {@code serve} runs on its event loop; the stack itself is never touched from this thread.
 *
 * <p>One daemon thread accepts one client at a time; a snapshot is a few kilobytes, so a client
 * cannot hold it for long. {@link #close()} stops the thread and removes the socket file.
 */
public final class StatsServer implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel channel;
    private final Callable<StatsSnapshot> source;
    private final Thread thread;

    private StatsServer(Path path, ServerSocketChannel channel, Callable<StatsSnapshot> source) {
        this.path = path;
        this.channel = channel;
        this.source = source;
        this.thread = new Thread(this::acceptLoop, "tuntcp-stats");
        thread.setDaemon(true);
    }

    /**
     * Binds {@code path} (creating its directory) and starts answering. A socket file left by a serve
     * that died is replaced; one that still answers belongs to a running serve and is left alone.
     *
     * @throws IOException with a one-line message naming the problem
     */
    public static StatsServer start(Path path, Callable<StatsSnapshot> source) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        if (Files.exists(path)) {
            if (answers(path)) {
                throw new IOException(path + " is in use by another running serve");
            }
            Files.deleteIfExists(path); // left behind by a serve that did not exit cleanly
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
        StatsServer server = new StatsServer(path, channel, source);
        server.thread.start();
        return server;
    }

    public Path path() {
        return path;
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            try (SocketChannel client = channel.accept()) {
                String reply;
                try {
                    reply = source.call().toWire();
                } catch (Exception e) {
                    // e.g. the loop has terminated: serve is stopping
                    reply = "error serve is stopping (" + e.getClass().getSimpleName() + ")\n";
                }
                ByteBuffer bytes = ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    client.write(bytes);
                }
            } catch (ClosedChannelException closed) {
                return; // close() was called
            } catch (IOException clientGone) {
                // the client went away mid-reply: nothing to do, serve the next one
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a listening socket does not fail in a way we could act on
        }
        try {
            thread.join(2000);
            Files.deleteIfExists(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the directory went away: nothing left to remove
        }
    }
}
