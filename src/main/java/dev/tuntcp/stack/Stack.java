package dev.tuntcp.stack;

import dev.tuntcp.ip.FragmentReassembler;
import dev.tuntcp.ip.IcmpRateLimiter;
import dev.tuntcp.ip.IpIdGenerator;
import dev.tuntcp.ip.Ipv4Config;
import dev.tuntcp.ip.Ipv4Input;
import dev.tuntcp.ip.Ipv4Output;
import dev.tuntcp.link.LinkDevice;
import io.netty.buffer.ByteBufAllocator;

/**
 * One host: a link, the IPv4 layer on it, its counters, on an {@link EventLoop} (DESIGN §1). The
 * transport layer (TCP) plugs in through {@link Ipv4Input#register} and sends through
 * {@link #ipv4Output()}.
 *
 * <p>Construct on the loop's owner thread (or before the loop starts). Several stacks may share one
 * loop, e.g. two hosts on the two ends of a {@code SimLink} in virtual time; each has its own counters.
 * Closing the stack closes the link.
 */
public final class Stack implements AutoCloseable {
    /**
     * Told when the packets of one poll of the link start and stop arriving (TCP sends one cumulative
     * ACK per connection per batch, {@code TcpLayer#beginInputBatch}).
     */
    public interface InputBatch {
        void started();

        void ended();
    }

    private static final InputBatch NO_BATCH = new InputBatch() {
        @Override
        public void started() {
        }

        @Override
        public void ended() {
        }
    };

    private final EventLoop loop;
    private final LinkDevice link;
    private final Counters counters;
    private final ByteBufAllocator alloc;
    private final Ipv4Config config;
    private final FragmentReassembler reassembler;
    private final Ipv4Output ipv4Output;
    private final Ipv4Input ipv4Input;
    private InputBatch inputBatch = NO_BATCH;

    /**
     * Wires {@code link} (which this stack now owns) to a new IPv4 layer with address {@code config}.
     *
     * @param ipIdSeed seed of the IP Identification generator: fixed in tests for repeatable packets,
     *                 null for a random secret in production
     */
    public Stack(EventLoop loop, LinkDevice link, Ipv4Config config, Counters counters, ByteBufAllocator alloc,
                 Long ipIdSeed) {
        this.loop = loop;
        this.link = link;
        this.counters = counters;
        this.alloc = alloc;
        this.config = config;
        this.reassembler = new FragmentReassembler(loop.timers(), counters, alloc, FragmentReassembler.Limits.defaults());
        IpIdGenerator ids = ipIdSeed == null ? new IpIdGenerator() : new IpIdGenerator(ipIdSeed);
        this.ipv4Output = new Ipv4Output(link, config, counters, alloc, ids);
        this.ipv4Input = new Ipv4Input(config, ipv4Output, reassembler, counters, IcmpRateLimiter.defaults(loop.clock()));
        link.setReceiver(ipv4Input);
        loop.addPoller(this::pollLink);
    }

    /** Reads what the link has, as one input batch. */
    private int pollLink() {
        InputBatch batch = inputBatch;
        batch.started();
        try {
            return link.poll();
        } finally {
            batch.ended();
        }
    }

    /** Sets who hears of each input batch (one; the transport layer). Loop thread only. */
    public void inputBatch(InputBatch batch) {
        this.inputBatch = batch == null ? NO_BATCH : batch;
    }

    public EventLoop loop() {
        return loop;
    }

    public Clock clock() {
        return loop.clock();
    }

    public TimerQueue timers() {
        return loop.timers();
    }

    public Counters counters() {
        return counters;
    }

    public ByteBufAllocator alloc() {
        return alloc;
    }

    public LinkDevice link() {
        return link;
    }

    public Ipv4Config config() {
        return config;
    }

    public Ipv4Input ipv4Input() {
        return ipv4Input;
    }

    public Ipv4Output ipv4Output() {
        return ipv4Output;
    }

    public FragmentReassembler reassembler() {
        return reassembler;
    }

    /** Releases held fragments and closes the link. Call on the loop thread (or after it ended). */
    @Override
    public void close() {
        reassembler.close();
        link.close();
    }
}
