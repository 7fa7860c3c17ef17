package dev.tuntcp.link;

import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * A {@link LinkDevice} that records every packet in both directions to a {@link PcapWriter} and
 * otherwise passes everything through, so {@code serve --pcap FILE} just wraps its device. A failed
 * write is counted ({@link LinkCounter#PCAP_ERRORS}) and stops recording; traffic goes on.
 *
 * <p>Ownership is unchanged: received packets go on to the receiver, sent packets to the inner
 * device; the tap only reads them. Closing the tap closes the inner device and the writer.
 */
public final class PcapTap implements LinkDevice {
    private final LinkDevice inner;
    private final PcapWriter writer;
    private final LongSupplier epochNanos;
    private final Counters counters;
    private boolean recording = true;
    private IOException failure;

    /**
     * @param epochNanos wall-clock time in nanoseconds since the epoch for each record, e.g.
     *                   {@link #wallClock()}; tests may pass a virtual clock
     */
    public PcapTap(LinkDevice inner, PcapWriter writer, LongSupplier epochNanos, Counters counters) {
        this.inner = inner;
        this.writer = writer;
        this.epochNanos = epochNanos;
        this.counters = counters;
    }

    /**
     * Epoch nanoseconds read without allocating: the wall clock once, then {@link System#nanoTime()}
     * deltas (monotonic, so records never go back in time).
     */
    public static LongSupplier wallClock() {
        Instant now = Instant.now();
        long base = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long origin = System.nanoTime();
        return () -> base + (System.nanoTime() - origin);
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void setReceiver(PacketReceiver receiver) {
        inner.setReceiver(receiver == null ? null : packet -> {
            record(packet);
            receiver.onPacket(packet);
        });
    }

    /** Records the packet, then hands it (and its ownership) to the inner device. */
    @Override
    public void send(ByteBuf packet) {
        record(packet);
        inner.send(packet);
    }

    @Override
    public int poll() {
        return inner.poll();
    }

    /** Writes what is staged so far, e.g. before another process reads the file. */
    public void flush() {
        if (recording) {
            try {
                writer.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    /** The write error that stopped recording, or null. */
    public IOException failure() {
        return failure;
    }

    @Override
    public void close() {
        try {
            inner.close();
        } finally {
            try {
                writer.close();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    private void record(ByteBuf packet) {
        if (recording) {
            try {
                writer.write(packet, epochNanos.getAsLong());
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    private void fail(IOException e) {
        recording = false;
        failure = e;
        counters.increment(LinkCounter.PCAP_ERRORS);
    }
}
