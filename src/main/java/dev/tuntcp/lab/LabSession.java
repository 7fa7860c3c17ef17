package dev.tuntcp.lab;

import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.link.Netns;
import dev.tuntcp.link.PcapTap;
import dev.tuntcp.link.PcapWriter;
import dev.tuntcp.link.LinkSetupException;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TcpTraceBridge;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.trace.CollectingSink;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Endpoint;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import dev.tuntcp.wire.Ipv4Address;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Where a {@link Scenario} runs: its own network namespace ({@code tt-lab-XXXXXXXX}), the stack on a
 * TUN device inside it behind the lab's fault hooks ({@link LabLink}), the kernel's TCP in the same
 * namespace as the other side, the trace, and the kernel's observed states ({@link KernelWatch}).
 * Closing it stops the stack and deletes the namespace — also when the scenario failed, and (through
 * a shutdown hook) when the process is interrupted.
 *
 * <p>Timers are shortened for the lab ({@link #labConfig()}): retransmissions after 300 ms instead
 * of 1 s, TIME-WAIT 2 s instead of 60 s, so every scenario takes a few seconds.
 */
public final class LabSession implements AutoCloseable {
    public static final String PREFIX = "tt-lab-";
    public static final String STACK_ADDRESS = "10.13.0.2";
    public static final String KERNEL_ADDRESS = "10.13.0.1";
    /** Port the stack listens on when it is the server. */
    public static final int STACK_SERVER_PORT = 8080;
    /** Port the kernel listens on when it is the server. */
    public static final int KERNEL_SERVER_PORT = 9000;
    /** Port the stack connects from when it is the client. */
    public static final int STACK_CLIENT_PORT = 50000;
    /** Port the kernel connects from when it is the client. */
    public static final int KERNEL_CLIENT_PORT = 40000;
    /** How long one step may take before the scenario fails. */
    public static final Duration STEP = Duration.ofSeconds(5);
    /** How long setting up the namespace and the TUN device may take (generous: a busy machine). */
    static final Duration SETUP = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String namespace;
    private final Thread cleanup;
    private final List<Check> checks = new ArrayList<>();
    private final List<String> explanation = new ArrayList<>();
    private TunHost host;
    private LabLink link;
    private KernelWatch kernel;
    private CollectingSink trace;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private LabSession(String namespace) {
        this.namespace = namespace;
        this.cleanup = new Thread(() -> deleteQuietly(namespace), "lab-netns-cleanup");
    }

    /** The TCP settings of the lab: short timers so scenarios take seconds, not minutes. */
    public static TcpConfig labConfig() {
        return new TcpConfig()
                .initialRtoNanos(TimeUnit.MILLISECONDS.toNanos(300))
                .synRetries(3)
                .dataRetries(4)
                .mslNanos(TimeUnit.SECONDS.toNanos(1))
                .finWait2TimeoutNanos(TimeUnit.SECONDS.toNanos(5));
    }

    /**
     * Creates the namespace and the stack in it; {@code pcap} (may be null) records what crossed the
     * TUN device, as the kernel saw it.
     *
     * @throws LinkSetupException with a one-line message naming the fix (e.g. not root)
     */
    public static LabSession open(Path pcap) throws Exception {
        String name = PREFIX + String.format("%08x", RANDOM.nextInt());
        Netns.add(name);
        LabSession lab = new LabSession(name);
        Runtime.getRuntime().addShutdownHook(lab.cleanup);
        try {
            lab.start(pcap);
            return lab;
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    private void start(Path pcap) throws Exception {
        Netns.exec(namespace, SETUP, "ip", "link", "set", "lo", "up");
        trace = new CollectingSink();
        long[] origin = new long[1];
        LabLink[] made = new LabLink[1];
        host = Netns.call(namespace, SETUP, () -> TunHost.open("tt0", Ipv4Address.parse(STACK_ADDRESS),
                PeerAddress.parse(KERNEL_ADDRESS + "/24"), 0, labConfig(), loop -> device -> {
                    origin[0] = loop.clock().nanos();
                    LinkDevice inner = device;
                    if (pcap != null) {
                        try {
                            inner = new PcapTap(device, PcapWriter.create(pcap), PcapTap.wallClock(), new Counters());
                        } catch (IOException e) {
                            throw new LinkSetupException(LinkSetupException.Reason.BAD_CONFIG, 0, "cannot write --pcap "
                                    + pcap + ": " + e.getMessage() + " — choose a writable path");
                        }
                    }
                    made[0] = new LabLink(inner, loop, trace, origin[0]);
                    return made[0];
                }));
        link = made[0];
        kernel = new KernelWatch(namespace, host.loop(), trace, origin[0]);
        link.setObserver(kernel::afterPacket);
        host.loop().start("tuntcp-lab-stack");
    }

    public String namespace() {
        return namespace;
    }

    public TunHost host() {
        return host;
    }

    public LabLink link() {
        return link;
    }

    public KernelWatch kernel() {
        return kernel;
    }

    public CollectingSink trace() {
        return trace;
    }

    public static int stackAddress() {
        return Ipv4Address.parse(STACK_ADDRESS);
    }

    public static int kernelAddress() {
        return Ipv4Address.parse(KERNEL_ADDRESS);
    }

    /** The connection between the stack's {@code stackPort} and the kernel's {@code kernelPort}; watched from now on. */
    public ConnectionId connection(int stackPort, int kernelPort) throws Exception {
        ConnectionId id = new ConnectionId(new Endpoint(stackAddress(), stackPort), new Endpoint(kernelAddress(), kernelPort));
        kernel.watch(id);
        onLoop(() -> {
            // The trace starts now: time 0 is just before the scenario's first step.
            long origin = host.loop().clock().nanos();
            link.setOrigin(origin);
            kernel.setOrigin(origin);
            host.tcp().tcp().setTraceListener(new TcpTraceBridge(trace, origin));
            kernel.sample(); // the state before anything happens (CLOSED, or LISTEN once a listener exists)
            return null;
        });
        return id;
    }

    /** Runs {@code task} on the stack's event loop and waits for its result. */
    public <T> T onLoop(Callable<T> task) throws Exception {
        return host.call(task);
    }

    /** Runs {@code task} on the stack's event loop without waiting. */
    public void later(Runnable task) {
        host.loop().execute(task);
    }

    /** Runs {@code task} on a new thread inside the namespace (kernel sockets); returns at once. */
    public <T> Future<T> kernelThread(String name, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Netns.threadFactory(namespace).newThread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.setName("lab-kernel-" + name);
        t.start();
        return result;
    }

    /** Runs {@code task} on a thread inside the namespace and waits for it. */
    public <T> T inKernel(Callable<T> task) throws Exception {
        return Netns.call(namespace, STEP, task);
    }

    /** Waits for the first event (recorded so far or later) that matches; fails the step after {@link #STEP}. */
    public TraceEvent await(String what, Predicate<? super TraceEvent> match) throws LabFailure {
        return await(what, match, STEP);
    }

    public TraceEvent await(String what, Predicate<? super TraceEvent> match, Duration timeout) throws LabFailure {
        return trace.await(match, timeout).orElseThrow(() -> new LabFailure("timed out after "
                + timeout.toMillis() + " ms waiting for " + what));
    }

    /**
     * Waits until segment {@code sent} (one the stack sent) has been handed to the kernel and the
     * kernel's state sampled after it — i.e. the next step cannot overtake it.
     */
    public void awaitHandedOver(SegmentEvent sent) throws LabFailure {
        List<TraceEvent> seen = new ArrayList<>();
        await("the kernel to take " + sent, e -> {
            if (e == sent) {
                seen.add(e);
                return false;
            }
            return !seen.isEmpty() && e instanceof dev.tuntcp.trace.StateChange sc
                    && sc.side() == dev.tuntcp.trace.Side.PEER;
        });
    }

    /** Waits until the kernel has been observed in {@code state}; fails the step otherwise. */
    public void awaitKernel(TraceState state) throws LabFailure {
        if (!kernel.awaitSeen(state, STEP)) {
            throw new LabFailure("the kernel was never seen in " + state.label() + " (seen: " + kernel.states()
                    + (kernel.failure() == null ? "" : "; " + kernel.failure()) + ")");
        }
    }

    /** Waits for {@code future} (a kernel socket call, a stack callback); fails the step after {@link #STEP}. */
    public <T> T get(Future<T> future, String what) throws LabFailure, InterruptedException {
        try {
            return future.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LabFailure("timed out after " + STEP.toMillis() + " ms waiting for " + what);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw new LabFailure(what + " failed: " + (c.getMessage() == null ? c.getClass().getSimpleName()
                    : c.getMessage()));
        }
    }

    /** The stack listens on {@link #STACK_SERVER_PORT}; every connection gets {@code end}. */
    public void stackListens(StackEnd end) throws Exception {
        onLoop(() -> host.tcp().tcp().listen(stackAddress(), STACK_SERVER_PORT, () -> end));
    }

    /** The stack opens from {@code localPort} to the kernel's {@code kernelPort} (posted to the loop). */
    public void stackConnects(int localPort, int kernelPort, StackEnd end) {
        later(() -> host.tcp().tcp().connect(stackAddress(), localPort, kernelAddress(), kernelPort, end));
    }

    /** Records an expectation and whether it held. */
    public boolean check(String what, boolean passed, String detail) {
        checks.add(new Check(what, passed, detail));
        return passed;
    }

    public boolean check(String what, boolean passed) {
        return check(what, passed, "");
    }

    /** Adds a paragraph to the explanation printed after the ladder. */
    public void explain(String paragraph) {
        explanation.add(paragraph);
    }

    /** Everything recorded so far as a result (call when the scenario is done). */
    public LabResult result(String scenario, String error) {
        return new LabResult(scenario, namespace, kernel == null ? null : kernel.watched(),
                trace == null ? List.of() : trace.snapshot(), checks, explanation, error);
    }

    /** Closes {@code c} (a kernel socket) when the session closes. */
    public <C extends AutoCloseable> C closeLater(C c) {
        closeables.add(c);
        return c;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a kernel socket in a namespace about to disappear
            }
        }
        if (host != null) {
            host.close();
        }
        if (kernel != null) {
            kernel.close();
        }
        deleteQuietly(namespace);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }

    private static void deleteQuietly(String ns) {
        try {
            Netns.delete(ns);
        } catch (RuntimeException ignored) {
            // best effort: reported by the caller's `ip netns list` check
        }
    }
}
