package dev.tuntcp.link;

import static dev.tuntcp.link.LinkSetupException.Reason.BAD_NAME;
import static dev.tuntcp.link.LinkSetupException.Reason.DEVICE_BUSY;
import static dev.tuntcp.link.LinkSetupException.Reason.NOT_A_TUN;
import static dev.tuntcp.link.LinkSetupException.Reason.NO_PERMISSION;
import static dev.tuntcp.link.LinkSetupException.Reason.NO_TUN_SUPPORT;
import static dev.tuntcp.link.LinkSetupException.Reason.SYSTEM;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A Linux TUN device (Documentation/networking/tuntap.rst) carrying raw IPv4 packets: opened through
 * {@code /dev/net/tun} with {@code TUNSETIFF(IFF_TUN | IFF_NO_PI)}, non-blocking, read and written
 * straight from pooled direct {@link ByteBuf} memory through JNA (no {@code byte[]} copy).
 *
 * <p>The device is created (or, if it exists, attached to) in the network namespace of the thread
 * that calls {@link #open}; so is its control socket, so {@link #configure} always acts on this
 * device. After opening, {@link #poll()} and {@link #send} belong to one thread, the event loop; wait
 * for packets with a {@link TunWaiter}.
 */
public final class TunDevice implements LinkDevice {
    // linux/if_tun.h
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;
    static final short IFF_MULTI_QUEUE = 0x0100;
    /** sizeof(struct virtio_net_hdr), the default TUNSETVNETHDRSZ. */
    static final int VNET_HEADER_LENGTH = 10;
    private static final int MAX_IPV4_PACKET = 65535;
    /** A zeroed virtio_net_hdr (no checksum offload, no GSO), shared read-only by every device. */
    private static final Memory ZERO_VNET_HEADER = zeroed(VNET_HEADER_LENGTH);

    private final String name;
    private final TunOptions options;
    private final Counters counters;
    private final int fd;
    private final KernelInterface kernel;
    private final int headerLength;
    private final Memory iovecs;
    private PacketReceiver receiver;
    private ByteBuf spare;
    private ByteBuf scratch;
    private int mtu;
    private int lastErrno;
    private boolean closed;

    private TunDevice(String name, TunOptions options, Counters counters, int fd, KernelInterface kernel) {
        this.name = name;
        this.options = options;
        this.counters = counters;
        this.fd = fd;
        this.kernel = kernel;
        this.headerLength = options.vnetHeader() ? VNET_HEADER_LENGTH : 0;
        this.iovecs = options.vnetHeader() ? new Memory(32) : null;
        this.mtu = kernel.mtu(name);
    }

    /**
     * Opens (creating if needed) the TUN device in the calling thread's network namespace. A
     * non-root user can attach to a persistent device it owns (native-setup/tun-up.sh).
     *
     * @throws LinkSetupException with a one-line message naming the fix
     */
    public static TunDevice open(TunOptions options, Counters counters) {
        Objects.requireNonNull(counters, "counters");
        String requested = options.name();
        checkName(requested);
        int fd = Libc.open(options.devicePath(), Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw openFailed(options.devicePath(), Libc.errno());
        }
        KernelInterface kernel = null;
        try {
            kernel = KernelInterface.open();
            IfReq req = new IfReq(requested);
            short flags = (short) (IFF_TUN | IFF_NO_PI);
            if (options.multiQueue()) {
                flags |= IFF_MULTI_QUEUE;
            }
            if (options.vnetHeader()) {
                flags |= IFF_VNET_HDR;
            }
            req.flags(flags);
            if (Libc.ioctl(fd, TUNSETIFF, req.address()) != 0) {
                int errno = Libc.errno();
                throw setIffFailed(requested, errno, kernel.exists(requested), options.multiQueue());
            }
            return new TunDevice(req.name(), options, counters, fd, kernel);
        } catch (RuntimeException e) {
            if (kernel != null) {
                kernel.close();
            }
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Opens the device and configures its kernel side ({@link #configure}); if configuring fails the
     * device is closed again (a device we created disappears), so nothing is left behind.
     *
     * @throws LinkSetupException with a one-line message naming the fix
     */
    public static TunDevice openConfigured(TunOptions options, PeerAddress peer, int mtu, Counters counters) {
        TunDevice device = open(options, counters);
        try {
            device.configure(peer, mtu);
            return device;
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** A single-queue TUN named {@code name} with default options. */
    public static TunDevice open(String name, Counters counters) {
        return open(TunOptions.named(name), counters);
    }

    /** The interface name the kernel gave the device (differs from the request for patterns like tt%d). */
    public String name() {
        return name;
    }

    /** The file descriptor, for {@link TunWaiter}. */
    public int fd() {
        return fd;
    }

    public TunOptions options() {
        return options;
    }

    /**
     * Configures the kernel side: the kernel's address on the link ({@code peer}, e.g.
     * 10.13.0.1/24; null to leave it), the MTU (0 to keep it) and IFF_UP. Changes only what differs,
     * so attaching to a device native-setup/tun-up.sh configured needs no privilege.
     *
     * @throws LinkSetupException when a needed change is refused, naming the fix
     */
    public KernelInterface.Result configure(PeerAddress peer, int mtu) {
        KernelInterface.Result result = kernel.configure(name, peer, mtu);
        this.mtu = result.mtu();
        return result;
    }

    /** The control socket in the device's namespace, to inspect the kernel side. */
    public KernelInterface kernel() {
        return kernel;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public void setReceiver(PacketReceiver receiver) {
        this.receiver = receiver;
    }

    /** The errno of the last failed read or write (0 if none), for diagnostics. */
    public int lastErrno() {
        return lastErrno;
    }

    /**
     * Reads up to {@link TunOptions#maxPacketsPerPoll()} packets without blocking and hands each to the
     * receiver, which takes ownership. Each packet lands in its own pooled direct buffer, written by
     * read(2) through the buffer's address.
     */
    @Override
    public int poll() {
        if (closed) {
            return 0;
        }
        int delivered = 0;
        int max = options.maxPacketsPerPoll();
        int attempts = 0;
        while (delivered < max && attempts++ < 2 * max) {
            ByteBuf buf = spareBuffer();
            long n = Libc.read(fd, NativeAddress.of(buf), buf.capacity());
            if (n < 0) {
                int errno = Libc.errno();
                if (errno == Libc.EAGAIN) {
                    break;
                }
                if (errno == Libc.EINTR) {
                    continue;
                }
                lastErrno = errno;
                counters.increment(LinkCounter.READ_ERRORS);
                break;
            }
            if (n == 0) {
                break;
            }
            if (n > buf.capacity()) {
                // tun_put_user reports the whole packet's length even when our buffer held only part.
                counters.increment(LinkCounter.READ_TRUNCATED);
                continue;
            }
            if (n < headerLength) {
                counters.increment(LinkCounter.READ_RUNT);
                continue;
            }
            spare = null;
            buf.setIndex(headerLength, (int) n);
            counters.increment(LinkCounter.PACKETS_IN);
            counters.add(LinkCounter.BYTES_IN, n - headerLength);
            PacketReceiver r = receiver;
            if (r == null) {
                counters.increment(LinkCounter.NO_RECEIVER);
                buf.release();
            } else {
                r.onPacket(buf);
            }
            delivered++;
        }
        return delivered;
    }

    /**
     * Writes one IPv4 packet and releases it (ownership passes to the device). Never blocks: when the
     * device queue is full the packet is dropped and counted under {@link LinkCounter#WRITE_DROPS}.
     */
    @Override
    public void send(ByteBuf packet) {
        try {
            if (closed) {
                counters.increment(LinkCounter.SEND_AFTER_CLOSE);
                return;
            }
            int length = packet.readableBytes();
            long address;
            if (NativeAddress.addressable(packet)) {
                address = NativeAddress.of(packet) + packet.readerIndex();
            } else {
                ByteBuf copy = scratchBuffer();
                copy.clear().writeBytes(packet, packet.readerIndex(), length);
                address = NativeAddress.of(copy);
            }
            long n = write(address, length);
            if (n < 0 && Libc.errno() == Libc.EINTR) {
                n = write(address, length);
            }
            if (n < 0) {
                int errno = Libc.errno();
                lastErrno = errno;
                counters.increment(errno == Libc.EAGAIN || errno == Libc.ENOBUFS
                        ? LinkCounter.WRITE_DROPS : LinkCounter.WRITE_ERRORS);
                return;
            }
            counters.increment(LinkCounter.PACKETS_OUT);
            counters.add(LinkCounter.BYTES_OUT, length);
        } finally {
            packet.release();
        }
    }

    /** Closes the device; a non-persistent device disappears from the kernel. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(fd);
        kernel.close();
        if (spare != null) {
            spare.release();
            spare = null;
        }
        if (scratch != null) {
            scratch.release();
            scratch = null;
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private long write(long address, int length) {
        if (headerLength == 0) {
            return Libc.write(fd, address, length);
        }
        // struct iovec { void *base; size_t len; } x2: the zeroed virtio_net_hdr, then the packet.
        iovecs.setLong(0, Pointer.nativeValue(ZERO_VNET_HEADER));
        iovecs.setLong(8, headerLength);
        iovecs.setLong(16, address);
        iovecs.setLong(24, length);
        return Libc.writev(fd, Pointer.nativeValue(iovecs), 2);
    }

    private ByteBuf spareBuffer() {
        int capacity = headerLength + Math.min(mtu, MAX_IPV4_PACKET);
        if (spare != null && spare.capacity() < capacity) {
            spare.release();
            spare = null;
        }
        if (spare == null) {
            spare = options.allocator().directBuffer(capacity, capacity);
        }
        spare.clear();
        return spare;
    }

    private ByteBuf scratchBuffer() {
        if (scratch == null) {
            scratch = options.allocator().directBuffer(MAX_IPV4_PACKET, MAX_IPV4_PACKET);
        }
        return scratch;
    }

    private static void checkName(String name) {
        boolean ok = name != null && !name.isEmpty() && name.length() < IfReq.IFNAMSIZ
                && !name.equals(".") && !name.equals("..")
                && name.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != ':');
        if (!ok) {
            throw new LinkSetupException(BAD_NAME, 0, "bad device name '" + name
                    + "' — use 1 to 15 printable characters without '/', ':' or spaces, e.g. tt0");
        }
    }

    static LinkSetupException openFailed(String path, int errno) {
        String what = "cannot open " + path + ": " + Libc.describe(errno) + " — ";
        switch (errno) {
            case Libc.EACCES:
            case Libc.EPERM:
                return new LinkSetupException(NO_PERMISSION, errno, what
                        + "run as root or create a persistent device with native-setup/tun-up.sh"
                        + " (and give your user read/write access to " + path + ")");
            case Libc.ENOENT:
                return new LinkSetupException(NO_TUN_SUPPORT, errno, what
                        + "load the tun module (modprobe tun) or create the node"
                        + " (mkdir -p /dev/net && mknod /dev/net/tun c 10 200); native-setup/check.sh says what is missing");
            case Libc.ENODEV:
            case Libc.ENXIO:
                return new LinkSetupException(NO_TUN_SUPPORT, errno, what
                        + "load the tun module (modprobe tun); native-setup/check.sh says what is missing");
            default:
                return new LinkSetupException(SYSTEM, errno, what + "run native-setup/check.sh to see what is missing");
        }
    }

    static LinkSetupException setIffFailed(String name, int errno, boolean exists, boolean multiQueue) {
        switch (errno) {
            case Libc.EBUSY:
                return new LinkSetupException(DEVICE_BUSY, errno, "device " + name
                        + " is busy — another process holds it; choose another --tun name");
            case Libc.EPERM:
            case Libc.EACCES:
                return exists
                        ? new LinkSetupException(NO_PERMISSION, errno, "device " + name
                        + " belongs to another user: " + Libc.describe(errno)
                        + " — run as root, or recreate it for your user with native-setup/tun-up.sh " + name)
                        : new LinkSetupException(NO_PERMISSION, errno, "cannot create TUN device " + name + ": "
                        + Libc.describe(errno) + " — run as root or create a persistent device with native-setup/tun-up.sh");
            case Libc.EINVAL:
                if (exists) {
                    return new LinkSetupException(NOT_A_TUN, errno, "device " + name
                            + " exists but is not a " + (multiQueue ? "multi-queue " : "single-queue ")
                            + "TUN device — choose another --tun name");
                }
                return new LinkSetupException(SYSTEM, errno, "the kernel refused TUN device " + name + ": "
                        + Libc.describe(errno) + " — run native-setup/check.sh to see what is missing");
            default:
                return new LinkSetupException(SYSTEM, errno, "cannot attach TUN device " + name + ": "
                        + Libc.describe(errno) + " — run native-setup/check.sh to see what is missing");
        }
    }

    private static Memory zeroed(int size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }
}
