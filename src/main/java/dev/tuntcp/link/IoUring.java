package dev.tuntcp.link;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.netty.util.internal.PlatformDependent;

/**
 * Many reads or writes in one system call: an io_uring (Linux 5.6+, {@code io_uring_setup(2)},
 * {@code io_uring_enter(2)}) through which a thread submits a batch of {@code IORING_OP_READ}s or
 * {@code IORING_OP_WRITE}s and waits for all of them — {@link TunWriter} the packets queued for a TUN
 * device, {@link TunDevice#poll} the packets waiting in it. A TUN write never blocks and a TUN read
 * on the non-blocking fd returns at once, so the kernel runs each one inline within the one
 * {@code io_uring_enter}, in submission order: the same work as as many write(2)s or read(2)s,
 * without their system-call entries and exits, which on this project's VM cost ~1.2 µs of CPU each
 * (a null system call) — a quarter of a 1500-byte packet's write (docs/benchmarks.md, "the writer
 * thread").
 *
 * <p>Rings are shared memory with the kernel; every access here is on the one thread that owns the
 * ring, and the kernel reads the submission queue and fills the completion queue only inside that
 * thread's {@code io_uring_enter}, so program order around that call is all the ordering needed.
 * Allocates nothing per batch. {@link #open} returns null where io_uring is missing or forbidden
 * (old kernel, {@code kernel.io_uring_disabled}, a seccomp filter, {@code -Dtuntcp.ioUring=false}):
 * the caller then makes one system call per packet.
 */
final class IoUring implements AutoCloseable {
    private static final long SYS_IO_URING_SETUP = 425;  // the same number on every architecture
    private static final long SYS_IO_URING_ENTER = 426;
    private static final int IORING_ENTER_GETEVENTS = 1;
    private static final int IORING_FEAT_SINGLE_MMAP = 1;
    private static final long IORING_OFF_SQ_RING = 0L;
    private static final long IORING_OFF_CQ_RING = 0x8000000L;
    private static final long IORING_OFF_SQES = 0x10000000L;
    /** IORING_OP_READ, IORING_OP_WRITE: read(2) and write(2) at an offset (-1: the file position). */
    static final int READ = 22;
    static final int WRITE = 23;
    /**
     * RWF_NOWAIT: fail with EAGAIN instead of waiting for data. Without it a file that supports
     * non-blocking I/O natively would have a read with nothing to read wait for data (io_uring arms
     * a poll), O_NONBLOCK or not; a file that does not refuses the flag (EOPNOTSUPP), and then its
     * O_NONBLOCK alone gives EAGAIN.
     */
    static final int RWF_NOWAIT = 0x8;
    static final int EOPNOTSUPP = 95;
    /** IOSQE_IO_LINK: the next entry starts only once this one completed in full. */
    private static final long IOSQE_IO_LINK = 1 << 2;
    private static final int ECANCELED = 125;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    private static final int SQE_SIZE = 64;
    private static final int CQE_SIZE = 16;
    private static final int PARAMS_SIZE = 120;
    private static final int EINTR = 4;

    private final int ringFd;
    private final int entries;
    private final long sqRing;
    private final long sqRingSize;
    private final long cqRing;
    private final long cqRingSize;
    private final long sqes;
    private final long sqTailAddress;
    private final int sqMask;
    private final long cqHeadAddress;
    private final long cqTailAddress;
    private final int cqMask;
    private final long cqes;
    private int sqTail;
    private int cqHead;
    /** The results of the last {@link #submit}, by position in the batch (bytes, or -errno). */
    private final int[] results;

    private IoUring(int ringFd, Memory params) {
        this.ringFd = ringFd;
        this.entries = params.getInt(0);
        int cqEntries = params.getInt(4);
        int features = params.getInt(20);
        int sqOff = 40;
        int cqOff = 80;
        long sqSize = Integer.toUnsignedLong(params.getInt(sqOff + 24)) + 4L * entries; // array + entries
        long cqSize = Integer.toUnsignedLong(params.getInt(cqOff + 20)) + (long) CQE_SIZE * cqEntries;
        boolean single = (features & IORING_FEAT_SINGLE_MMAP) != 0;
        if (single) {
            sqSize = Math.max(sqSize, cqSize);
            cqSize = sqSize;
        }
        long sq = map(sqSize, IORING_OFF_SQ_RING);
        long cq = single ? sq : map(cqSize, IORING_OFF_CQ_RING);
        long sqeArea = map((long) SQE_SIZE * entries, IORING_OFF_SQES);
        this.sqRing = sq;
        this.sqRingSize = sqSize;
        this.cqRing = cq;
        this.cqRingSize = single ? 0 : cqSize;
        this.sqes = sqeArea;
        this.sqTailAddress = sq + Integer.toUnsignedLong(params.getInt(sqOff + 4));
        this.sqMask = PlatformDependent.getInt(sq + Integer.toUnsignedLong(params.getInt(sqOff + 8)));
        long array = sq + Integer.toUnsignedLong(params.getInt(sqOff + 24));
        for (int i = 0; i < entries; i++) {
            PlatformDependent.putInt(array + 4L * i, i); // SQ slot i always names SQE i
        }
        this.cqHeadAddress = cq + Integer.toUnsignedLong(params.getInt(cqOff));
        this.cqTailAddress = cq + Integer.toUnsignedLong(params.getInt(cqOff + 4));
        this.cqMask = PlatformDependent.getInt(cq + Integer.toUnsignedLong(params.getInt(cqOff + 8)));
        this.cqes = cq + Integer.toUnsignedLong(params.getInt(cqOff + 20));
        this.sqTail = PlatformDependent.getInt(sqTailAddress);
        this.cqHead = PlatformDependent.getInt(cqHeadAddress);
        this.results = new int[entries];
    }

    /**
     * An io_uring of {@code entries} (a power of two) submission slots, or null when the kernel will
     * not give one (then plain system calls it is).
     */
    static IoUring open(int entries) {
        if (!Boolean.parseBoolean(System.getProperty("tuntcp.ioUring", "true"))) {
            return null;
        }
        Memory params = new Memory(PARAMS_SIZE);
        params.clear();
        long ringFd = Libc.syscall(SYS_IO_URING_SETUP, entries, Pointer.nativeValue(params), 0, 0, 0, 0);
        if (ringFd < 0) {
            return null;
        }
        try {
            return new IoUring((int) ringFd, params);
        } catch (IllegalStateException e) {
            Libc.close((int) ringFd);
            return null;
        }
    }

    private long map(long size, long offset) {
        long address = Libc.mmap(0, size, PROT_READ_WRITE, MAP_SHARED_POPULATE, ringFd, offset);
        if (address == -1) {
            throw new IllegalStateException("io_uring mmap failed: errno " + Libc.errno());
        }
        return address;
    }

    /** The most entries one batch takes. */
    int capacity() {
        return entries;
    }

    /**
     * Fills entry {@code i} (0 ≤ i < {@link #capacity()}) of the next batch: {@code opcode}
     * ({@link #READ} or {@link #WRITE}) on {@code fd} of {@code length} bytes at native address
     * {@code address}; {@code linked}: the next entry starts only once this one completed in full
     * (IOSQE_IO_LINK), which keeps writes in order even where one has to wait.
     */
    void prepare(int i, int opcode, int fd, long address, int length, boolean linked) {
        prepare(i, opcode, fd, address, length, 0, linked);
    }

    /** As above, with {@code rwFlags} (RWF_*, e.g. {@link #RWF_NOWAIT}). */
    void prepare(int i, int opcode, int fd, long address, int length, int rwFlags, boolean linked) {
        long sqe = sqes + (long) ((sqTail + i) & sqMask) * SQE_SIZE;
        // struct io_uring_sqe: opcode, flags, ioprio, fd | off | addr | len, rw_flags | user_data | 24 zero bytes
        long flags = linked ? IOSQE_IO_LINK << 8 : 0;
        PlatformDependent.putLong(sqe, opcode | flags | ((long) fd << 32));
        PlatformDependent.putLong(sqe + 8, -1L); // the current position: a TUN device is a stream
        PlatformDependent.putLong(sqe + 16, address);
        PlatformDependent.putLong(sqe + 24, Integer.toUnsignedLong(length) | ((long) rwFlags << 32));
        PlatformDependent.putLong(sqe + 32, i);
        PlatformDependent.putLong(sqe + 40, 0);
        PlatformDependent.putLong(sqe + 48, 0);
        PlatformDependent.putLong(sqe + 56, 0);
    }

    /**
     * Submits the first {@code count} prepared entries in one io_uring_enter and returns once all
     * are done: how many ran — all of them, unless a linked one failed or came up short (it counts;
     * the ones after it were cancelled) or io_uring_enter itself refused them. {@link #result(int)}
     * has each one's outcome. A file opened O_NONBLOCK without native support for it (a TUN device)
     * gets -EAGAIN for a read with nothing to read, as read(2) would.
     */
    int submit(int count) {
        int tail = sqTail;
        sqTail = tail + count;
        PlatformDependent.putInt(sqTailAddress, sqTail); // read by the kernel inside io_uring_enter
        int submitted = 0;
        int completed = 0;
        while (completed < count) {
            long rc = Libc.syscall(SYS_IO_URING_ENTER, ringFd, count - submitted, count - completed,
                    IORING_ENTER_GETEVENTS, 0, 0);
            if (rc > 0 || (rc == 0 && submitted == count)) {
                submitted += (int) rc;
            } else if (rc == 0 || Libc.errno() != EINTR) {
                // The kernel took none of the rest: withdraw them and wait only for what it took.
                count = submitted;
                sqTail = tail + submitted;
                PlatformDependent.putInt(sqTailAddress, sqTail);
            }
            completed += reap();
        }
        for (int i = 0; i < count; i++) {
            if (results[i] == -ECANCELED) {
                return i;
            }
        }
        return count;
    }

    /** Takes what the completion queue holds into {@link #results}; returns how many. */
    private int reap() {
        int head = cqHead;
        int tail = PlatformDependent.getInt(cqTailAddress);
        int n = 0;
        while (head != tail) {
            long cqe = cqes + (long) (head & cqMask) * CQE_SIZE;
            int index = (int) PlatformDependent.getLong(cqe);
            if (index >= 0 && index < results.length) {
                results[index] = PlatformDependent.getInt(cqe + 8);
            }
            head++;
            n++;
        }
        cqHead = head;
        PlatformDependent.putInt(cqHeadAddress, head);
        return n;
    }

    /** The outcome of entry {@code i} of the last batch: bytes read or written, or -errno. */
    int result(int i) {
        return results[i];
    }

    @Override
    public void close() {
        Libc.munmap(sqes, (long) SQE_SIZE * entries);
        if (cqRingSize > 0) {
            Libc.munmap(cqRing, cqRingSize);
        }
        Libc.munmap(sqRing, sqRingSize);
        Libc.close(ringFd);
    }
}
