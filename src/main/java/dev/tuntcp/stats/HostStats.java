package dev.tuntcp.stats;

import dev.tuntcp.stack.TunHost;
import dev.tuntcp.wire.Ipv4Address;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The snapshot source of one {@link TunHost}: each call queues a task on the host's event loop (the
 * owner of its counters and connections) and waits briefly for it, so {@link StatsServer}'s thread
 * never reads the stack directly.
 */
public final class HostStats implements Callable<StatsSnapshot> {
    /** How long a snapshot may wait for the loop (a busy loop runs tasks between rounds). */
    private static final long WAIT_MILLIS = 3000;

    private final TunHost host;
    private final String tun;
    private final String address;
    private final long startedNanos = System.nanoTime();

    public HostStats(TunHost host, int address) {
        this.host = host;
        this.tun = host.device().name();
        this.address = Ipv4Address.toString(address);
    }

    @Override
    public StatsSnapshot call() throws Exception {
        CompletableFuture<StatsSnapshot> result = new CompletableFuture<>();
        host.loop().execute(() -> {
            try {
                long uptime = (System.nanoTime() - startedNanos) / 1_000_000L;
                result.complete(SnapshotTaker.take(tun, address, uptime, host.counters(), host.tcp().tcp().connections()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts answering {@code tuntcp stats} for {@code host} on {@code socket} (null: the default
     * {@code /run/tuntcp/<device>.sock}). Stats are an extra: when the socket cannot be made, one line
     * on {@code err} says why and serve goes on without it (returns null).
     */
    public static StatsServer serve(TunHost host, int address, Path socket, PrintStream err) {
        Path path = socket != null ? socket
                : StatsSockets.forTun(StatsSockets.directory(System.getenv()), host.device().name());
        try {
            return StatsServer.start(path, new HostStats(host, address));
        } catch (IOException e) {
            err.println("tuntcp serve: no stats socket (" + e.getMessage() + ") — tuntcp stats will not reach"
                    + " this serve; pass --stats-socket PATH to put it elsewhere");
            return null;
        }
    }
}
