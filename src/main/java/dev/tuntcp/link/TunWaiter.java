package dev.tuntcp.link;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.tuntcp.stack.IoWaiter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The event loop's sleep on a TUN device: {@code poll(2)} on the device fd plus an eventfd that any
 * thread can write to wake the loop ({@link #wakeup()}). After {@link #await} returns the loop calls
 * {@link TunDevice#poll()}, which reads until EAGAIN.
 *
 * <p>{@link #await} belongs to the loop thread; {@link #wakeup()} is thread-safe and coalesces: while
 * a wake-up is pending, further calls make no system call.
 */
public final class TunWaiter implements IoWaiter, AutoCloseable {
    /** The 8-byte counter value 1 that wakeup() writes; read-only to the kernel, so shared safely. */
    private static final Memory ONE = one();

    private final int deviceFd;
    private final int eventFd;
    /** Two {@code struct pollfd {int fd; short events; short revents;}}: device, then eventfd. */
    private final Memory pollFds = new Memory(16);
    private final Memory drain = new Memory(8);
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean closed;
    private short deviceEvents;

    /** Waits on {@code device}'s fd and a new eventfd. Close the waiter before (or with) the device. */
    public TunWaiter(TunDevice device) {
        this(device.fd());
    }

    /**
     * Waits on {@code fd} (any pollable descriptor; negative means none, as poll(2) ignores it) and a
     * new eventfd.
     */
    public TunWaiter(int fd) {
        this.deviceFd = fd;
        this.eventFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (eventFd < 0) {
            int errno = Libc.errno();
            throw new LinkSetupException(LinkSetupException.Reason.SYSTEM, errno, "cannot create an eventfd: "
                    + Libc.describe(errno) + " — raise the open-file limit (ulimit -n) or free descriptors");
        }
        pollFds.setInt(0, fd);
        pollFds.setShort(4, Libc.POLLIN);
        pollFds.setInt(8, eventFd);
        pollFds.setShort(12, Libc.POLLIN);
    }

    /** A waiter with no device, woken only by {@link #wakeup()} or its timeout. */
    public static TunWaiter wakeupOnly() {
        return new TunWaiter(-1);
    }

    @Override
    public void await(long timeoutNanos) {
        if (closed) {
            return;
        }
        pollFds.setShort(6, (short) 0);
        pollFds.setShort(14, (short) 0);
        int rc = Libc.poll(Pointer.nativeValue(pollFds), 2, toPollMillis(timeoutNanos));
        if (rc <= 0) {
            // 0: timeout; -1: EINTR (a signal), which the loop treats like a spurious wake-up.
            deviceEvents = 0;
            return;
        }
        deviceEvents = pollFds.getShort(6);
        if ((pollFds.getShort(14) & Libc.POLLIN) != 0) {
            // Clear the flag first: a wakeup() racing with us then writes again, and at worst the
            // next await returns early; the loop runs its tasks after await either way.
            pending.set(false);
            Libc.read(eventFd, Pointer.nativeValue(drain), 8);
        }
    }

    @Override
    public void wakeup() {
        if (!closed && pending.compareAndSet(false, true)) {
            // EAGAIN only when the counter is saturated, which already means "wake".
            Libc.write(eventFd, Pointer.nativeValue(ONE), 8);
        }
    }

    /**
     * Whether the last {@link #await} saw POLLERR/POLLHUP/POLLNVAL on the device: it was deleted or
     * closed, and polling again would return at once forever.
     */
    public boolean deviceFailed() {
        return (deviceEvents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0;
    }

    /** Whether the last {@link #await} saw the device readable. */
    public boolean deviceReadable() {
        return (deviceEvents & Libc.POLLIN) != 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(eventFd);
        }
    }

    /**
     * poll(2)'s millisecond timeout for a nanosecond one: 0 stays 0 (return at once), Long.MAX_VALUE
     * (and anything beyond int range) waits forever (-1) or up to Integer.MAX_VALUE ms, and any other
     * value rounds up so the loop never wakes before its timer is due.
     */
    static int toPollMillis(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return 0;
        }
        if (timeoutNanos == Long.MAX_VALUE) {
            return -1;
        }
        long millis = timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    private static Memory one() {
        Memory m = new Memory(8);
        m.setLong(0, 1L);
        return m;
    }
}
