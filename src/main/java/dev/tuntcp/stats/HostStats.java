package dev.tuntcp.stats;

import dev.tuntcp.link.LinkCounter;
import dev.tuntcp.stack.SteeringCounter;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpStat;
import dev.tuntcp.wire.Ipv4Address;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The snapshot source of a serving stack: one {@link TunHost}, or the hosts of every queue of a
 * multi-queue device ({@code serve --queues N}). Each call queues a task on every host's event loop
 * (the owner of its counters and connections) and waits briefly for them, so {@link StatsServer}'s
 * thread never reads a stack directly; the counters and gauges of several loops are summed (each
 * counter is written by one loop only, so nothing is lost), and with more than one queue a
 * {@code Queue.qN.*} row per loop shows how the connections spread.
 */
public final class HostStats implements Callable<StatsSnapshot> {
    /** How long a snapshot may wait for the loop (a busy loop runs tasks between rounds). */
    private static final long WAIT_MILLIS = 3000;

    private final List<TunHost> hosts;
    private final String tun;
    private final String address;
    private final long startedNanos = System.nanoTime();

    public HostStats(TunHost host, int address) {
        this(List.of(host), address);
    }

    /** The hosts of every queue of one device, in queue order. */
    public HostStats(List<TunHost> hosts, int address) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host to report");
        }
        this.hosts = List.copyOf(hosts);
        this.tun = hosts.get(0).device().name();
        this.address = Ipv4Address.toString(address);
    }

    /** One loop's part: its counters and gauges, read on that loop. */
    private record Part(Map<String, Long> counters, Map<String, Long> gauges) {
    }

    @Override
    public StatsSnapshot call() throws Exception {
        List<CompletableFuture<Part>> parts = new ArrayList<>();
        for (TunHost host : hosts) {
            CompletableFuture<Part> part = new CompletableFuture<>();
            host.loop().execute(() -> {
                try {
                    part.complete(new Part(SnapshotTaker.counters(host.counters()),
                            SnapshotTaker.gauges(host.tcp().tcp().connections())));
                } catch (RuntimeException e) {
                    part.completeExceptionally(e);
                }
            });
            parts.add(part);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, Long> gauges = new LinkedHashMap<>();
        Map<String, Long> perQueue = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            long left = Math.max(1, deadline - System.nanoTime());
            Part p = parts.get(i).get(left, TimeUnit.NANOSECONDS);
            p.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
            p.gauges().forEach((k, v) -> gauges.merge(k, v, Long::sum));
            if (hosts.size() > 1) {
                String q = "Queue.q" + i + ".";
                perQueue.put(q + "PassiveOpens", get(p.counters(), TcpStat.PASSIVE_OPENS));
                perQueue.put(q + "CurrEstab", p.gauges().getOrDefault(StatsReport.CURR_ESTAB_GAUGE, 0L));
                perQueue.put(q + "PacketsIn", get(p.counters(), LinkCounter.PACKETS_IN));
                perQueue.put(q + "SegmentsIn", get(p.counters(), TcpStat.SEGMENTS_IN));
                perQueue.put(q + "SegmentsOut", get(p.counters(), TcpStat.SEGMENTS_OUT));
                perQueue.put(q + "HandedOver", get(p.counters(), SteeringCounter.HANDED_OVER));
                perQueue.put(q + "TakenOver", get(p.counters(), SteeringCounter.TAKEN_OVER));
            }
        }
        counters.putAll(perQueue);
        long uptime = (System.nanoTime() - startedNanos) / 1_000_000L;
        return new StatsSnapshot(tun, address, uptime, counters, gauges);
    }

    private static long get(Map<String, Long> counters, Enum<?> key) {
        return counters.getOrDefault(key.getDeclaringClass().getSimpleName() + "." + key.name(), 0L);
    }

    /**
     * Starts answering {@code tuntcp stats} for {@code host} on {@code socket} (null: the default
     * {@code /run/tuntcp/<device>.sock}). Stats are an extra: when the socket cannot be made, one line
     * on {@code err} says why and serve goes on without it (returns null).
     */
    public static StatsServer serve(TunHost host, int address, Path socket, PrintStream err) {
        return serve(List.of(host), address, socket, err);
    }

    /** As {@link #serve(TunHost, int, Path, PrintStream)} for the hosts of every queue of one device. */
    public static StatsServer serve(List<TunHost> hosts, int address, Path socket, PrintStream err) {
        Path path = socket != null ? socket
                : StatsSockets.forTun(StatsSockets.directory(System.getenv()), hosts.get(0).device().name());
        try {
            return StatsServer.start(path, new HostStats(hosts, address));
        } catch (IOException e) {
            err.println("tuntcp serve: no stats socket (" + e.getMessage() + ") — tuntcp stats will not reach"
                    + " this serve; pass --stats-socket PATH to put it elsewhere");
            return null;
        }
    }
}
