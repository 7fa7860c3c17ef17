package dev.tuntcp.stack;

import dev.tuntcp.ip.TransportReceiver;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.link.TunDevice;
import dev.tuntcp.link.TunOptions;
import dev.tuntcp.tcp.TcpConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stack on a multi-queue TUN device ({@code serve --queues N}, issue 9): the device is opened N
 * times with {@code IFF_MULTI_QUEUE} (each {@code TUNSETIFF} with the same name adds one queue, its
 * own file descriptor), and each queue gets a whole {@link TunHost} — its own event loop thread,
 * IPv4 layer, TCP layer with its own connection table, timers and counters. Nothing is shared on the
 * per-segment path and nothing is locked.
 *
 * <p>Which loop owns a connection is {@link FlowSteering}'s keyed 4-tuple hash. The kernel chooses
 * the queue of each packet it sends us by its own flow hash (drivers/net/tun.c
 * {@code tun_automq_select_queue}: the symmetric flow hash is looked up in the device's flow table,
 * which records the queue user space last <em>wrote</em> that flow on; a flow not in the table goes
 * to {@code reciprocal_scale(hash, numqueues)}). That hash is keyed with a kernel secret we cannot
 * compute, so the first packets of a connection (the SYN) land on a queue chosen by chance; the
 * {@link SteeringReceiver} of that loop hands them to the owner's {@link SegmentMailbox}. The owner
 * answers on its own queue, the kernel's flow table learns the flow → queue mapping from that write,
 * and from then on the kernel delivers the connection's packets to the owner directly. A mismatch
 * later (the kernel's flow entry aged out after seconds of silence, or its table is full) costs one
 * hand-over per packet, never a wrong delivery.
 *
 * <p>Why a hash of our own and not "the owner is the queue the SYN arrived on" with a shared,
 * concurrent connection lookup: the hash names the owner from any packet with no shared state, so
 * the per-segment path reads nothing another thread writes; a shared lookup would be touched by
 * every loop for every miss and every connection's birth and death, and two queues receiving a SYN
 * for the same 4-tuple (a retransmission after the flow entry expired) could race to create two
 * connections. gVisor makes the same choice: its TCP dispatcher picks the processor goroutine for an
 * inbound segment by a seeded hash of the endpoint's 4-tuple, whichever link FD it came from
 * (pkg/tcpip/transport/tcp/dispatcher.go {@code selectProcessor}).
 *
 * <p>Listeners (services) are made on every loop by the caller; ICMP echo is answered and fragments
 * reassembled on the loop whose queue they arrived on; counters are per loop (each written only by
 * its loop) and summed for {@code stats}.
 */
public final class MultiQueueHost implements AutoCloseable {
    /** The kernel's limit on queues per TUN device (MAX_TAP_QUEUES, 256 since Linux 4.x). */
    public static final int MAX_QUEUES = 256;

    private final List<TunHost> queues;
    private final SegmentMailbox[] mailboxes;
    private final FlowSteering steering;

    private MultiQueueHost(List<TunHost> queues, SegmentMailbox[] mailboxes, FlowSteering steering) {
        this.queues = Collections.unmodifiableList(queues);
        this.mailboxes = mailboxes;
        this.steering = steering;
    }

    /**
     * Opens (or attaches to) TUN {@code options.name()} with {@code count} queues, configures the
     * kernel side through the first (address {@code kernel}, {@code mtu}, up) and puts one stack on
     * each queue. The loops are not started. Call on a thread in the device's network namespace.
     *
     * @throws dev.tuntcp.link.LinkSetupException with a one-line message naming the fix
     */
    public static MultiQueueHost open(TunOptions options, int count, int address, PeerAddress kernel, int mtu,
                                      TcpConfig tcpConfig) {
        if (count < 1 || count > MAX_QUEUES) {
            throw new IllegalArgumentException("queues must be 1.." + MAX_QUEUES + ", got " + count);
        }
        TunHost.productionLeakDetection();
        TunOptions multi = options.withMultiQueue(true);
        List<TunHost> hosts = new ArrayList<>(count);
        try {
            Counters first = new Counters();
            TunDevice device = TunDevice.openConfigured(multi, kernel, mtu, first);
            hosts.add(TunHost.onDevice(device, first, address, kernel, tcpConfig, null));
            TunOptions attach = multi.withName(device.name()); // a pattern such as tt%d named the first only
            for (int i = 1; i < count; i++) {
                Counters counters = new Counters();
                hosts.add(TunHost.onDevice(TunDevice.open(attach, counters), counters, address, kernel, tcpConfig, null));
            }
        } catch (RuntimeException | Error e) {
            hosts.forEach(TunHost::close);
            throw e;
        }
        FlowSteering steering = new FlowSteering(count);
        SegmentMailbox[] mailboxes = new SegmentMailbox[count];
        TransportReceiver[] owners = new TransportReceiver[count];
        EventLoop[] loops = new EventLoop[count];
        for (int i = 0; i < count; i++) {
            TunHost h = hosts.get(i);
            mailboxes[i] = new SegmentMailbox(h.waiter());
            owners[i] = h.tcp().transportReceiver();
            loops[i] = h.loop();
        }
        for (int i = 0; i < count; i++) {
            TunHost h = hosts.get(i);
            SegmentMailbox inbox = mailboxes[i];
            inbox.deliverTo(owners[i], h.counters());
            h.loop().addPoller(inbox::drain);
            h.tcp().stack().ipv4Input().register(TcpStack.PROTOCOL_TCP,
                    new SteeringReceiver(i, steering, owners[i], h.counters(), mailboxes, owners, loops));
        }
        MultiQueueHost host = new MultiQueueHost(new ArrayList<>(hosts), mailboxes, steering);
        for (TunHost h : hosts) {
            // One queue's device failing (deleted with ip link del) stops them all, as serve expects.
            h.loop().addPoller(() -> {
                if (h.waiter().deviceFailed()) {
                    host.stop(0);
                }
                return 0;
            });
        }
        return host;
    }

    /** The stacks, one per queue, by queue index. */
    public List<TunHost> queues() {
        return queues;
    }

    public TunHost queue(int index) {
        return queues.get(index);
    }

    public int size() {
        return queues.size();
    }

    public FlowSteering steering() {
        return steering;
    }

    /** The interface name the kernel gave the device. */
    public String name() {
        return queues.get(0).device().name();
    }

    /** Starts a thread for every loop but the first {@code skip} (serve runs loop 0 on its own thread). */
    public void start(String threadPrefix, int skip) {
        for (int i = skip; i < queues.size(); i++) {
            queues.get(i).loop().start(threadPrefix + "-q" + i);
        }
    }

    /** Asks every loop to stop, each giving its connections {@code drainNanos}; callable from any thread. */
    public void stop(long drainNanos) {
        for (TunHost h : queues) {
            h.loop().stop(drainNanos);
        }
    }

    /** Waits for every loop to finish; true if all did within the timeout (which each loop gets anew). */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        boolean all = true;
        for (TunHost h : queues) {
            all &= h.loop().awaitTermination(timeout, unit);
        }
        return all;
    }

    /**
     * Stops every loop, then releases every stack and queue; what the mailboxes still hold is
     * released and counted ({@link SteeringCounter#OWNER_STOPPED}). The device disappears with its
     * last queue unless it is persistent.
     */
    @Override
    public void close() {
        stop(0);
        try {
            awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < queues.size(); i++) {
            queues.get(i).close();
        }
        for (int i = 0; i < queues.size(); i++) {
            int left = mailboxes[i].close();
            queues.get(i).counters().add(SteeringCounter.OWNER_STOPPED, left);
        }
    }
}
