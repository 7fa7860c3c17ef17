package dev.tuntcp.ip;

import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.link.PcapTap;
import dev.tuntcp.link.PcapWriter;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.link.TunDevice;
import dev.tuntcp.link.TunOptions;
import dev.tuntcp.link.TunWaiter;
import dev.tuntcp.stack.Clock;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.Stack;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.wire.Ipv4Address;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stack on a real TUN device inside a test namespace: tt0 opened on a thread in the namespace,
 * kernel side 10.13.0.1/24, stack 10.13.0.2, its event loop on a thread of its own. Close stops the
 * loop and closes the device (which then disappears from the namespace).
 */
final class KernelStack implements AutoCloseable {
    static final String STACK_ADDRESS = "10.13.0.2";
    static final PeerAddress KERNEL = PeerAddress.parse("10.13.0.1/24");

    final Counters counters = new Counters();
    final TunDevice tun;
    final EventLoop loop;
    final Stack stack;
    private final TunWaiter waiter;

    KernelStack(TestNamespace ns, Path pcap) throws Exception {
        tun = ns.call(() -> TunDevice.openConfigured(TunOptions.named("tt0"), KERNEL, 0, counters));
        waiter = new TunWaiter(tun);
        LinkDevice link = tun;
        if (pcap != null) {
            link = new PcapTap(tun, PcapWriter.create(pcap), PcapTap.wallClock(), counters);
        }
        loop = new EventLoop(Clock.system(), waiter);
        stack = new Stack(loop, link, new Ipv4Config(Ipv4Address.parse(STACK_ADDRESS), 24), counters,
                PooledByteBufAllocator.DEFAULT, null);
        loop.start("stack-" + ns.name());
    }

    /** A consistent snapshot of the counters, taken on the loop thread. */
    Map<String, Long> counters() throws Exception {
        CompletableFuture<Map<String, Long>> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(counters.snapshot()));
        return f.get(10, TimeUnit.SECONDS);
    }

    long counter(Enum<?> c) throws Exception {
        return counters().getOrDefault(c.getDeclaringClass().getSimpleName() + "." + c.name(), 0L);
    }

    @Override
    public void close() throws Exception {
        loop.stop(0);
        if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new AssertionError("event loop did not stop");
        }
        stack.close();
        waiter.close();
    }
}
