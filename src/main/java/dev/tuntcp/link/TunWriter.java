package dev.tuntcp.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread that does a TUN device's write(2)s, fed by the event loop through a bounded
 * single-producer/single-consumer ring of packet slots.
 *
 * <p>Why: a write(2) on a TUN device runs the kernel's whole receive path for the packet inside the
 * system call — IP, TCP, the socket queue, waking the reader, and for an ACK often the kernel TCP's
 * next transmission (docs/benchmarks.md, "Per-segment cost": ~¾ of the loop thread). Done here, that
 * work runs on the other core while the loop thread goes on with TCP.
 *
 * <p>The ring is one block of direct memory: {@link #offer} copies the packet (and its virtio-net
 * header, if any) into the next slot, so the caller keeps ownership of its buffer and may release or
 * reuse it at once — nothing is allocated per packet and no buffer crosses threads. Packets are
 * written in the order offered (one queue per device). When the ring is full the producer waits for
 * the writer (backpressure, as a blocking write would), never drops. The writer keeps its own counts
 * ({@link #packetsWritten()} …), which the device folds into its counters on the loop thread.
 */
final class TunWriter implements AutoCloseable {
    /** Spins before the writer parks: a producer in full flow refills the ring within microseconds. */
    private static final int SPINS_BEFORE_PARK = 256;

    private final int fd;
    private final int headerLength;
    private final int slots;
    private final int slotSize;
    private final ByteBuf ring;
    private final long ringAddress;
    private final int[] lengths;
    /** The next slot the producer fills (written by the producer only). */
    private final AtomicLong head = new AtomicLong();
    /** The next slot the writer writes (written by the writer only). */
    private final AtomicLong tail = new AtomicLong();
    /** Batches of writes in one system call, or null: one write(2) per packet. */
    private final IoUring uring;
    private final Thread thread;
    private volatile boolean writerParked;
    private volatile boolean producerParked;
    private volatile boolean closing;
    private boolean ringReleased;
    private Thread producer;

    // Written by the writer thread only, read by the loop thread.
    private volatile long packetsWritten;
    private volatile long bytesWritten;
    private volatile long drops;
    private volatile long errors;
    private volatile int lastErrno;
    /** Times the producer found the ring full and waited (loop thread only). */
    private long fullWaits;

    /**
     * A writer for {@code fd} with {@code slots} slots (a power of two) of {@code slotSize} bytes each,
     * the largest header plus packet it will be offered, each packet after a virtio-net header of
     * {@code headerLength} bytes (0 without IFF_VNET_HDR); its thread starts at once.
     */
    TunWriter(int fd, String name, int headerLength, int slots, int slotSize, ByteBufAllocator allocator) {
        this(fd, name, headerLength, slots, slotSize, allocator, true);
    }

    /** As above; {@code batched}: write through an io_uring where the kernel has one ({@link IoUring}). */
    TunWriter(int fd, String name, int headerLength, int slots, int slotSize, ByteBufAllocator allocator,
              boolean batched) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.fd = fd;
        this.headerLength = headerLength;
        this.slots = slots;
        this.slotSize = slotSize;
        this.ring = allocator.directBuffer(slots * slotSize, slots * slotSize);
        if (!NativeAddress.addressable(ring)) {
            ring.release();
            throw new IllegalStateException("the allocator gave a buffer without a native address");
        }
        this.ringAddress = NativeAddress.of(ring);
        this.lengths = new int[slots];
        this.uring = batched ? IoUring.open(Math.min(slots, 64)) : null;
        this.thread = new Thread(this::run, "tuntcp-writer-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The largest header plus packet one slot holds. */
    int slotSize() {
        return slotSize;
    }

    /**
     * Queues the virtio-net header at native address {@code header} (ignored without one) followed by
     * {@code packet[index, index + length)} for writing, waiting while the ring is full. The caller
     * keeps {@code packet}. Producer (loop) thread only. Returns false once closed.
     */
    boolean offer(long header, ByteBuf packet, int index, int length) {
        if (closing) {
            return false;
        }
        long h = head.get();
        if (h - tail.get() == slots) {
            awaitRoom(h);
        }
        int slot = (int) h & (slots - 1);
        int offset = slot * slotSize;
        if (headerLength > 0) {
            io.netty.util.internal.PlatformDependent.copyMemory(header, ringAddress + offset, headerLength);
        }
        ring.setBytes(offset + headerLength, packet, index, length);
        lengths[slot] = headerLength + length;
        head.set(h + 1); // a volatile store, then the load below: the writer cannot park unseen
        if (writerParked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Waits until every packet offered so far has been written (or the writer stopped). */
    void drain() {
        long h = head.get();
        while (tail.get() != h && thread.isAlive()) {
            awaitRoom(h + slots - 1);
        }
    }

    private void awaitRoom(long h) {
        fullWaits++;
        producer = Thread.currentThread();
        while (h - tail.get() >= slots && thread.isAlive()) {
            producerParked = true;
            if (h - tail.get() >= slots) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
            }
            producerParked = false;
        }
    }

    private void run() {
        long t = tail.get();
        int spins = 0;
        while (true) {
            long h = head.get();
            if (t == h) {
                if (closing) {
                    return;
                }
                if (spins++ < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                    continue;
                }
                writerParked = true;
                if (head.get() == t && !closing) {
                    LockSupport.park(this);
                }
                writerParked = false;
                spins = 0;
                continue;
            }
            spins = 0;
            while (t != h) {
                // One packet alone (an ACK, the common case into the stack) costs one system call
                // either way, and write(2) does less around it.
                int n = uring == null || h - t == 1 ? 0 : writeBatch(t, (int) Math.min(h - t, uring.capacity()));
                if (n == 0) {
                    int slot = (int) t & (slots - 1);
                    write(ringAddress + (long) slot * slotSize, lengths[slot]);
                    n = 1;
                }
                t += n;
                tail.set(t);
                if (producerParked) {
                    LockSupport.unpark(producer);
                }
            }
        }
    }

    /** Writes {@code count} slots from ticket {@code t} in one io_uring_enter; returns how many went. */
    private int writeBatch(long t, int count) {
        for (int i = 0; i < count; i++) {
            int slot = (int) (t + i) & (slots - 1);
            // Linked: the writes leave in order even where one has to wait (a full pipe in the tests).
            uring.prepare(i, IoUring.WRITE, fd, ringAddress + (long) slot * slotSize, lengths[slot], i < count - 1);
        }
        int taken = uring.submit(count);
        for (int i = 0; i < taken; i++) {
            int res = uring.result(i);
            if (res >= 0) {
                packetsWritten++;
                bytesWritten += lengths[(int) (t + i) & (slots - 1)] - headerLength;
            } else {
                failed(-res);
            }
        }
        return taken;
    }

    private void write(long address, int length) {
        long n = Libc.write(fd, address, length);
        if (n < 0 && Libc.errno() == Libc.EINTR) {
            n = Libc.write(fd, address, length);
        }
        if (n >= 0) {
            packetsWritten++;
            bytesWritten += length - headerLength;
            return;
        }
        failed(Libc.errno());
    }

    private void failed(int errno) {
        lastErrno = errno;
        if (errno == Libc.EAGAIN || errno == Libc.ENOBUFS) {
            drops++;
        } else {
            errors++;
        }
    }

    long packetsWritten() {
        return packetsWritten;
    }

    /** Packet bytes written (virtio-net headers not counted). */
    long bytesWritten() {
        return bytesWritten;
    }

    long drops() {
        return drops;
    }

    long errors() {
        return errors;
    }

    int lastErrno() {
        return lastErrno;
    }

    long fullWaits() {
        return fullWaits;
    }

    /** Whether the writes go through an io_uring, many per system call (tests). */
    boolean batched() {
        return uring != null;
    }

    /** Packets offered so far (a count that only grows; the producer's view is exact). */
    long offered() {
        return head.get();
    }

    /** Packets written (or dropped by write(2)) so far: they have left the ring. Any thread. */
    long departed() {
        return tail.get();
    }

    /**
     * Whether the writer sleeps with nothing left to write: every packet offered has been written
     * (so one written elsewhere now still leaves in order) and waking the writer for the next one
     * would cost a futex wake-up and a context switch. Producer thread.
     */
    boolean asleep() {
        return writerParked && tail.get() == head.get();
    }

    /** Packets offered and not yet written. */
    int queued() {
        return (int) (head.get() - tail.get());
    }

    /**
     * Writes what is queued, stops the thread (waiting up to a second) and releases the ring. The fd
     * stays open: the device closes it after this. Idempotent; producer thread.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            ring.release();
            ringReleased = true;
            if (uring != null) {
                uring.close();
            }
        }
    }

    /** Whether {@link #close} gave the ring's memory back (tests). */
    boolean ringReleased() {
        return ringReleased;
    }
}
