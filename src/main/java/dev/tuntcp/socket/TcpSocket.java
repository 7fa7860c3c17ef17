package dev.tuntcp.socket;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * A blocking TCP connection on the user-space stack, shaped like {@link java.net.Socket}: streams,
 * SO_TIMEOUT on reads, half-close, close and abort. Its threads never touch stack state: every
 * operation copies through a bounded buffer and posts a task to the event loop (DESIGN §1). Safe for
 * one reading and one writing thread at a time; close and abort may come from any thread and wake
 * blocked readers and writers.
 *
 * <p>Must not be used from the event-loop thread (it would wait for itself):
 * {@link IllegalStateException}.
 */
public final class TcpSocket implements Closeable {
    private final BlockingStreams streams;
    private final InputStream input = new SocketInput();
    private final OutputStream output = new SocketOutput();
    private volatile int soTimeoutMillis;

    TcpSocket(BlockingStreams streams, SocketOptions options) {
        this.streams = streams;
        this.soTimeoutMillis = options.soTimeoutMillis();
    }

    /**
     * Active open to {@code host:port}, waiting up to the options' connect timeout.
     *
     * @param host an IPv4 literal (the stack has no resolver)
     * @throws UnknownHostException when {@code host} is not an IPv4 literal
     * @throws java.net.ConnectException when refused (RST) or the stack gave up retransmitting the SYN
     * @throws java.net.SocketTimeoutException when the connect timeout passed first
     */
    public static TcpSocket connect(SocketStack stack, String host, int port, SocketOptions options)
            throws IOException {
        long address = Ipv4Literal.parse(host);
        if (address == Ipv4Literal.INVALID) {
            throw new UnknownHostException(host + ": not an IPv4 address (the stack has no resolver)");
        }
        return connect(stack, (int) address, port, options);
    }

    /** Active open to {@code address:port} (a big-endian IPv4 address). */
    public static TcpSocket connect(SocketStack stack, int address, int port, SocketOptions options)
            throws IOException {
        requirePort(port, 1);
        requireNotEventLoop(stack);
        StreamBridge bridge = new StreamBridge(stack, options, null);
        post(stack, () -> {
            try {
                stack.connect(address, port, bridge);
            } catch (RuntimeException refused) {
                bridge.startFailed(refused);
            }
        });
        bridge.streams().awaitOpen(options.connectTimeoutMillis());
        return new TcpSocket(bridge.streams(), options);
    }

    static void requirePort(int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Posts {@code task} to the event loop, translating a stopped stack into an I/O error. */
    static void post(SocketStack stack, Runnable task) throws SocketException {
        try {
            stack.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new SocketException("the stack has stopped");
        }
    }

    static void requireNotEventLoop(SocketStack stack) {
        if (stack.inEventLoop()) {
            throw new IllegalStateException("blocking socket call on the event-loop thread would wait for itself");
        }
    }

    public InputStream getInputStream() {
        return input;
    }

    public OutputStream getOutputStream() {
        return output;
    }

    /** SO_TIMEOUT for reads, in milliseconds; 0 waits forever. */
    public void setSoTimeout(int millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout must be >= 0");
        }
        soTimeoutMillis = millis;
    }

    public int getSoTimeout() {
        return soTimeoutMillis;
    }

    /** Sends FIN after the bytes already written (half-close); the input stays open. */
    public void shutdownOutput() throws IOException {
        streams.shutdownOutput();
    }

    public boolean isOutputShutdown() {
        return streams.isOutputShutdown();
    }

    /**
     * Closes: bytes already written are still delivered, then FIN. If received data was left unread
     * the connection is reset instead, so the peer learns it was lost (RFC 1122 §4.2.2.13, as Linux
     * does). Blocked readers and writers get {@link SocketException}. Idempotent.
     */
    @Override
    public void close() {
        streams.close();
    }

    /** Resets the connection (RST) and drops everything buffered either way. */
    public void abort() {
        streams.abort();
    }

    public boolean isClosed() {
        return streams.isClosed();
    }

    public int localAddress() {
        return streams.localAddress;
    }

    public int localPort() {
        return streams.localPort;
    }

    public int remoteAddress() {
        return streams.remoteAddress;
    }

    public int remotePort() {
        return streams.remotePort;
    }

    @Override
    public String toString() {
        return "TcpSocket[" + Ipv4Literal.format(localAddress()) + ":" + localPort() + " -> "
                + Ipv4Literal.format(remoteAddress()) + ":" + remotePort() + "]";
    }

    private final class SocketInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            return streams.read(b, off, len, soTimeoutMillis);
        }

        @Override
        public int available() {
            return streams.available();
        }

        @Override
        public void close() {
            TcpSocket.this.close();
        }
    }

    private final class SocketOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            streams.write(b, off, len);
        }

        /** Every write is already on its way to the loop; nothing waits here. */
        @Override
        public void flush() throws IOException {
            if (streams.isClosed()) {
                throw new SocketException("Socket closed");
            }
        }

        @Override
        public void close() {
            TcpSocket.this.close();
        }
    }
}
