package dev.tuntcp.socket;

import io.netty.buffer.ByteBufAllocator;
import java.net.BindException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake {@link SocketStack} for testing the blocking sockets with real threads: a single-threaded
 * executor plays the event loop, and each connection is a pair of {@link PipeChannel}s joined back
 * to back (bytes move from one side's send buffer to the other's receive buffer as room allows, FIN
 * follows the data, RST crosses at once). Connecting to {@link #ADDRESS} finds the listener on the
 * port or is refused; any other address never answers (for connect timeouts).
 *
 * <p>Everything a handler does wrong (a callback that throws, a contract breach) is recorded in
 * {@link #failures()}.
 */
public final class LoopbackStack implements SocketStack, AutoCloseable {
    public static final int ADDRESS = 0x0a0d0002; // 10.13.0.2

    final ByteBufAllocator allocator;
    final int pipeCapacity;
    private final ExecutorService loop;
    private volatile Thread loopThread;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    // Loop thread only.
    private final Map<Integer, ConnectionHandlerFactory> listeners = new HashMap<>();
    private final Set<PipeChannel> live = new LinkedHashSet<>();
    private final List<PipeChannel> all = new ArrayList<>();
    private boolean pumpScheduled;
    private int nextPort = 49152;

    /**
     * @param pipeCapacity each side's send and receive buffer, in bytes
     * @param allocator for the buffers {@link TcpChannel#read} hands out
     */
    public LoopbackStack(int pipeCapacity, ByteBufAllocator allocator) {
        this.pipeCapacity = pipeCapacity;
        this.allocator = allocator;
        this.loop = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "loopback-stack");
            t.setDaemon(true);
            loopThread = t;
            return t;
        });
    }

    public List<String> failures() {
        return failures;
    }

    void fail(String what) {
        failures.add(what);
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                failures.add("task threw " + t);
            }
        });
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == loopThread;
    }

    private void requireLoop(String call) {
        if (!inEventLoop()) {
            fail(call + " off the event loop");
        }
    }

    @Override
    public Listening listen(int port, ConnectionHandlerFactory factory) throws BindException {
        requireLoop("listen");
        int chosen = port == 0 ? nextPort++ : port;
        if (listeners.containsKey(chosen)) {
            throw new BindException("Address already in use: " + chosen);
        }
        listeners.put(chosen, factory);
        return new Listening() {
            @Override
            public int port() {
                return chosen;
            }

            @Override
            public void close() {
                requireLoop("Listening.close");
                listeners.remove(chosen, factory);
            }
        };
    }

    @Override
    public void connect(int remoteAddress, int remotePort, ConnectionHandler handler) {
        requireLoop("connect");
        if (remoteAddress != ADDRESS) {
            return; // a black hole: the SYN is never answered
        }
        int localPort = nextPort++;
        PipeChannel client = new PipeChannel(this, handler, localPort, remotePort);
        ConnectionHandlerFactory factory = listeners.get(remotePort);
        if (factory == null) {
            // RFC 9293 §3.10.7.1: the SYN to a closed port is answered with RST.
            execute(() -> client.handler.onClosed(client, ConnectionHandler.CloseReason.REFUSED));
            client.releaseBuffers();
            return;
        }
        PipeChannel server = new PipeChannel(this, null, remotePort, localPort);
        client.peer = server;
        server.peer = client;
        execute(() -> {
            server.handler = factory.newHandler();
            live.add(client);
            live.add(server);
            all.add(client);
            all.add(server);
            server.handler.onOpen(server);
            client.handler.onOpen(client);
        });
    }

    /** Coalesces byte movement into one loop task after whatever the handlers are doing. */
    void schedulePump() {
        if (!pumpScheduled) {
            pumpScheduled = true;
            execute(this::pump);
        }
    }

    private void pump() {
        pumpScheduled = false;
        for (PipeChannel pipe : new ArrayList<>(live)) {
            pipe.transfer();
        }
    }

    void gone(PipeChannel pipe) {
        live.remove(pipe);
        synchronized (this) {
            notifyAll();
        }
    }

    /** Blocks until every connection has ended on both sides (or the timeout passes); true if so. */
    public boolean awaitAllClosed(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            int[] count = new int[1];
            java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
            execute(() -> {
                count[0] = live.size();
                asked.countDown();
            });
            asked.await();
            if (count[0] == 0) {
                return true;
            }
            synchronized (this) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
    }

    /** Runs {@code task} on the loop and waits for it. */
    public void runOnLoop(Runnable task) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        execute(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        done.await();
    }

    @Override
    public void close() throws InterruptedException {
        runOnLoop(() -> all.forEach(PipeChannel::releaseBuffers));
        loop.shutdown();
        if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
            fail("loop did not stop");
        }
    }
}
