package dev.tuntcp.cli;

import dev.tuntcp.link.LinkSetupException;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.socket.Ipv4Literal;
import dev.tuntcp.socket.SocketOptions;
import dev.tuntcp.socket.TcpSocket;
import dev.tuntcp.stack.StopSignals;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpConfig;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tuntcp connect HOST PORT} (DESIGN §4): like {@code nc}, but over the user-space stack on a
 * TUN device. Standard input goes to the connection and the connection to standard output. At the
 * end of standard input it sends FIN (half-close, RFC 9293 §3.10.4) and keeps reading until the
 * peer's FIN; after the peer's FIN it keeps sending until its input ends. It exits 0 once both FINs
 * are acknowledged (a clean close), 1 if the connection was refused, timed out or reset, 2 on a bad
 * command line, and 130 on SIGINT/SIGTERM (after closing the connection).
 *
 * <p>{@code --trace} goes to standard error, which keeps standard output for the data.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Like nc over the stack: stdin to the connection, the connection to stdout; FIN at the end of stdin.")
final class ConnectCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;
    static final int EXIT_SIGNAL = 130;
    private static final int COPY_BUFFER = 64 * 1024;

    @Parameters(index = "0", paramLabel = "HOST", description = "the peer's IPv4 address, e.g. 10.13.0.1")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "the peer's port")
    int port;

    @Mixin
    LinkArguments linkOptions;





    @Option(names = "--trace", description = "print one line per TCP segment and state change to stderr")
    boolean trace;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "give up on the handshake after this long (default ${DEFAULT-VALUE})")
    int connectTimeoutSeconds;

    @Option(names = {"-w", "--idle-timeout"}, paramLabel = "SECONDS", defaultValue = "0",
            description = "give up when nothing arrives for this long (default: never)")
    int idleTimeoutSeconds;

    @Option(names = "--close-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "how long to wait for the peer to finish the close once both sides are done (default ${DEFAULT-VALUE})")
    int closeTimeoutSeconds;

    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;
    private final boolean handleSignals;
    private volatile boolean signalled;

    ConnectCommand() {
        this(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), System.err, true);
    }

    /** For tests: explicit streams, and no process-wide signal handlers. */
    ConnectCommand(InputStream in, OutputStream out, PrintStream err) {
        this(in, out, err, false);
    }

    private ConnectCommand(InputStream in, OutputStream out, PrintStream err, boolean handleSignals) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.handleSignals = handleSignals;
    }

    @Override
    public Integer call() {
        LinkArguments.Link link;
        int remote;
        TcpConfig config;
        long busyPollNanos;
        try {
            link = linkOptions.validate();
            remote = validateTarget();
            config = linkOptions.tcpConfig();
            busyPollNanos = linkOptions.busyPollNanos();
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage(), ServeCommand.EXIT_USAGE);
        }
        LinkDecorations decorations = new LinkDecorations(linkOptions.pcap, null, trace ? err : null);
        TunHost stack;
        try {
            stack = TunHost.open(linkOptions.tun, link.address(), link.peer(), link.mtu(), config, decorations.decorator());
        } catch (LinkSetupException e) {
            return fail(e.getMessage(), LinkArguments.exitCode(e));
        }
        try {
            decorations.installTcpTrace(stack);
            stack.busyPoll(busyPollNanos);
            stack.loop().start("tuntcp-connect");
            return converse(new WatchedStack(stack.tcp()), remote);
        } finally {
            stack.close(); // a connection still open here (an error) is reset
            decorations.flushTrace();
        }
    }

    private int validateTarget() {
        long remote = Ipv4Literal.parse(host);
        if (remote == Ipv4Literal.INVALID) {
            throw new IllegalArgumentException("bad HOST '" + host + "' — expected an IPv4 address such as 10.13.0.1"
                    + " (the stack has no resolver)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad PORT " + port + " — must be between 1 and 65535");
        }
        if (connectTimeoutSeconds < 1 || idleTimeoutSeconds < 0 || closeTimeoutSeconds < 1) {
            throw new IllegalArgumentException("timeouts are whole seconds: --connect-timeout and --close-timeout"
                    + " at least 1, --idle-timeout 0 (never) or more");
        }
        return (int) remote;
    }

    /** The connection's whole life: open, copy both ways, close; returns the exit code. */
    private int converse(WatchedStack stack, int remote) {
        String target = host + ":" + port;
        Thread main = Thread.currentThread();
        if (handleSignals) {
            StopSignals.install(() -> {
                signalled = true;
                main.interrupt(); // wakes a blocked connect or read, which then close the connection
            });
        }
        SocketOptions options = SocketOptions.DEFAULT
                .withConnectTimeoutMillis(connectTimeoutSeconds * 1000)
                .withSoTimeoutMillis(idleTimeoutSeconds * 1000);
        TcpSocket socket;
        try {
            socket = TcpSocket.connect(stack, remote, port, options);
        } catch (ConnectException e) {
            if (stack.reason() == CloseReason.REFUSED) {
                String how = stack.softError() != null ? stack.softError() : "RST";
                return fail(target + " refused the connection (" + how + ") — is anything listening there?", EXIT_FAILED);
            }
            return fail("no answer from " + target + " (" + e.getMessage() + ") — check the address and that the peer is up",
                    EXIT_FAILED);
        } catch (SocketTimeoutException e) {
            return fail("no answer from " + target + " within " + connectTimeoutSeconds
                    + " s — check the address and that the peer is up (or raise --connect-timeout)", EXIT_FAILED);
        } catch (InterruptedIOException e) {
            return EXIT_SIGNAL;
        } catch (IOException e) {
            return fail("cannot connect to " + target + ": " + e.getMessage(), EXIT_FAILED);
        }
        AtomicReference<IOException> sendFailure = new AtomicReference<>();
        Thread sender = new Thread(() -> send(socket, sendFailure), "tuntcp-connect-stdin");
        sender.setDaemon(true); // a read of stdin cannot be interrupted; the JVM must not wait for it
        sender.start();
        try {
            receive(socket);
            sender.join(); // half-close from the peer: we may still send until our input ends
        } catch (SocketTimeoutException e) {
            socket.abort();
            return fail("nothing received from " + target + " for " + idleTimeoutSeconds + " s (--idle-timeout)"
                    + " — connection aborted", EXIT_FAILED);
        } catch (InterruptedIOException | InterruptedException e) {
            return closeAfterSignal(socket, stack);
        } catch (IOException e) {
            if (signalled) {
                return closeAfterSignal(socket, stack);
            }
            socket.abort();
            return fail("connection to " + target + " failed: " + e.getMessage(), EXIT_FAILED);
        }
        if (sendFailure.get() != null) {
            socket.abort();
            return fail("sending to " + target + " failed: " + sendFailure.get().getMessage(), EXIT_FAILED);
        }
        socket.close(); // both directions are done; nothing is sent here, the FINs are already out
        return awaitCleanClose(stack, target);
    }

    /** Copies the connection to our output until the peer's FIN (-1). */
    private void receive(TcpSocket socket) throws IOException {
        InputStream from = socket.getInputStream();
        byte[] buffer = new byte[COPY_BUFFER];
        int n;
        while ((n = from.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
            if (from.available() == 0) {
                out.flush(); // interactive use: show what came before waiting for more
            }
        }
        out.flush();
    }

    /** Copies our input to the connection, then sends FIN (half-close). Runs on its own thread. */
    private void send(TcpSocket socket, AtomicReference<IOException> failure) {
        byte[] buffer = new byte[COPY_BUFFER];
        try {
            OutputStream to = socket.getOutputStream();
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
                to.write(buffer, 0, n);
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            if (!socket.isClosed()) {
                failure.set(e);
            }
        }
    }

    private int awaitCleanClose(WatchedStack stack, String target) {
        CloseReason reason;
        try {
            reason = stack.awaitEnd(closeTimeoutSeconds * 1000L);
        } catch (InterruptedException e) {
            return EXIT_SIGNAL;
        }
        if (reason == CloseReason.CLOSED) {
            return 0;
        }
        if (reason == null) {
            return fail(target + " did not acknowledge our FIN within " + closeTimeoutSeconds
                    + " s (--close-timeout)", EXIT_FAILED);
        }
        return fail("connection to " + target + " ended: " + reason.name().toLowerCase().replace('_', ' '), EXIT_FAILED);
    }

    /** SIGINT/SIGTERM: CLOSE (FIN after what was written) and give the peer a moment to finish. */
    private int closeAfterSignal(TcpSocket socket, WatchedStack stack) {
        Thread.interrupted(); // clear it so the wait below works
        socket.close();
        try {
            stack.awaitEnd(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_SIGNAL;
    }

    private int fail(String message, int code) {
        err.println("tuntcp connect: " + message);
        err.flush();
        return code;
    }
}
