package dev.tuntcp.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The asking end of {@code tuntcp stats}: connects to a serve's socket and reads one snapshot. */
public final class StatsClient {
    /** A snapshot is a few kilobytes; anything far larger is not one. */
    private static final int MAX_BYTES = 1 << 20;

    private StatsClient() {
    }

    /** One snapshot from the serve on {@code socket}, or why there is none; waits at most {@code timeoutMillis}. */
    public static StatsSnapshot.Parsed fetch(Path socket, long timeoutMillis) {
        if (!Files.exists(socket)) {
            return new StatsSnapshot.Parsed(null, "no serve answers on " + socket + " (no such socket)");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return new StatsSnapshot.Parsed(null, "serve on " + socket + " did not answer within "
                            + timeoutMillis + " ms");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                int n = channel.read(buffer.clear());
                if (n < 0) {
                    break;
                }
                text.write(buffer.array(), 0, n);
                if (text.size() > MAX_BYTES) {
                    return new StatsSnapshot.Parsed(null, socket + " sent more than " + MAX_BYTES + " bytes: not a serve");
                }
            }
            return StatsSnapshot.parse(text.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new StatsSnapshot.Parsed(null, "no serve answers on " + socket + " (" + e.getMessage()
                    + ") — a serve that was killed leaves its socket behind; start serve again");
        }
    }
}
