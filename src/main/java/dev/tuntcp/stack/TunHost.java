package dev.tuntcp.stack;

import dev.tuntcp.ip.Ipv4Config;
import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.link.TunDevice;
import dev.tuntcp.link.TunOptions;
import dev.tuntcp.link.TunWaiter;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TransmitQueue;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The whole stack on a TUN device: device, wake-up waiter, event loop, IPv4 and TCP. Used by
 * {@code serve}, {@code connect}, {@code demo} and the kernel tests. The device is created in the
 * network namespace of the thread that calls {@link #open}; after that the loop may run anywhere.
 */
public final class TunHost implements AutoCloseable {
    private static final int DEFAULT_MSS = new TcpConfig().mss();
    /** The largest MSS an IPv4 packet can carry: 65535 minus 40 bytes of headers. */
    private static final int MAX_MSS = 65495;
    private final TunDevice device;
    private final TunWaiter waiter;
    private final EventLoop loop;
    private final TcpStack tcp;
    private final Counters counters;

    private TunHost(TunDevice device, TunWaiter waiter, EventLoop loop, TcpStack tcp, Counters counters) {
        this.device = device;
        this.waiter = waiter;
        this.loop = loop;
        this.tcp = tcp;
        this.counters = counters;
    }

    /**
     * Opens (or attaches to) TUN {@code tunName}, gives the kernel side {@code kernel}, and puts the
     * stack at {@code address} on it. {@code decorate} may wrap the device (pcap, impairment, packet
     * trace) given the new loop; the loop is not started.
     *
     * @throws dev.tuntcp.link.LinkSetupException with a one-line message naming the fix
     */
    public static TunHost open(String tunName, int address, PeerAddress kernel, int mtu, TcpConfig tcpConfig,
                               Function<EventLoop, UnaryOperator<LinkDevice>> decorate) {
        return open(TunOptions.named(tunName), address, kernel, mtu, tcpConfig, decorate);
    }

    /**
     * As {@link #open(String, int, PeerAddress, int, TcpConfig, Function)} with the device options
     * spelled out, e.g. {@link TunOptions#withOffload} for checksum and segmentation offload: TCP
     * then sends super-segments when the (decorated) link passes them to the device whole.
     */
    public static TunHost open(TunOptions options, int address, PeerAddress kernel, int mtu, TcpConfig tcpConfig,
                               Function<EventLoop, UnaryOperator<LinkDevice>> decorate) {
        productionLeakDetection();
        Counters counters = new Counters();
        TunDevice device = TunDevice.openConfigured(options, kernel, mtu, counters);
        return onDevice(device, counters, address, kernel, tcpConfig, decorate);
    }

    /**
     * The stack at {@code address} on an opened (and configured) {@code device} that counts into
     * {@code counters}: one queue of a multi-queue device ({@link MultiQueueHost}) or the only one.
     * Takes ownership of the device: if assembling fails it is closed.
     */
    static TunHost onDevice(TunDevice device, Counters counters, int address, PeerAddress kernel, TcpConfig tcpConfig,
                            Function<EventLoop, UnaryOperator<LinkDevice>> decorate) {
        TunWaiter waiter = null;
        try {
            waiter = new TunWaiter(device);
            EventLoop loop = new EventLoop(Clock.system(), waiter);
            LinkDevice link = decorate == null ? device : decorate.apply(loop).apply(device);
            // RFC 9293 §3.7.1: advertise the MSS the link can carry without fragmentation — all of it
            // when the configuration kept the default (so --mtu 65520 means 65480-byte segments), no
            // more than a smaller MSS the configuration asks for.
            int linkMss = Math.min(device.mtu() - 40, MAX_MSS);
            int mss = tcpConfig.mss() == DEFAULT_MSS ? linkMss : Math.min(tcpConfig.mss(), linkMss);
            TcpConfig config = tcpConfig.mss(mss)
                    .segmentationOffload(link.segmentationOffload());
            Stack stack = new Stack(loop, link, new Ipv4Config(address, kernel.prefixLength()), counters,
                    PooledByteBufAllocator.DEFAULT, null);
            TcpStack tcp = new TcpStack(stack, config);
            // With a writer thread (TunDevice.startWriterThread) sent packets wait in its ring for a
            // moment: TCP's timers must not count that time as the network's.
            tcp.tcp().transmitQueue(new TransmitQueue() {
                @Override
                public long queued() {
                    return device.packetsQueued();
                }

                @Override
                public long departed() {
                    return device.packetsDeparted();
                }
            });
            TunWaiter w = waiter;
            loop.addPoller(() -> {
                if (w.deviceFailed()) {
                    loop.stop(0);
                }
                return 0;
            });
            return new TunHost(device, waiter, loop, tcp, counters);
        } catch (RuntimeException | Error e) {
            if (waiter != null) {
                waiter.close();
            }
            device.close();
            throw e;
        }
    }

    /**
     * Netty's default leak detection (SIMPLE) records a stack trace for one buffer in 128: with a
     * packet buffer or two per segment that was 2-3 % of serve's CPU (JFR: Throwable.fillInStackTrace
     * under ResourceLeakDetector.track, docs/benchmarks.md "Per-segment cost"). The stack runs without
     * it unless {@code -Dio.netty.leakDetection.level} asks for a level (the tests ask for PARANOID).
     */
    static void productionLeakDetection() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    public TunDevice device() {
        return device;
    }

    public EventLoop loop() {
        return loop;
    }

    public TcpStack tcp() {
        return tcp;
    }

    public Counters counters() {
        return counters;
    }

    /**
     * The loop's busy-poll window ({@link EventLoop#busyPoll}), spinning only while the device's
     * writer thread (if any) has written everything queued: while it has not, the loop waits for the
     * writer and the kernel's receive path behind it, which need the CPU a spinning loop would hold
     * (docs/benchmarks.md, issue 9 "wake-ups"). Before the loop starts.
     */
    public void busyPoll(long nanos) {
        loop.busyPoll(nanos, () -> device.packetsQueued() == device.packetsDeparted());
    }

    /** The loop's waiter: another loop wakes this one through it after handing over a packet. */
    TunWaiter waiter() {
        return waiter;
    }

    /** Runs {@code task} on the loop and waits for it (for setup and snapshots from other threads). */
    public <T> T call(java.util.concurrent.Callable<T> task) throws Exception {
        if (loop.inLoop()) {
            return task.call();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    /** Stops the loop (giving connections {@code drainNanos} to close), then releases everything. */
    @Override
    public void close() {
        try {
            if (!loop.isTerminated()) {
                loop.stop(0);
                loop.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tcp.close();
            waiter.close();
        }
    }
}
