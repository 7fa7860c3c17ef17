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
import dev.tuntcp.wire.TcpSegmentation;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A Linux TUN device (Documentation/networking/tuntap.rst) carrying raw IPv4 packets: opened through
 * {@code /dev/net/tun} with {@code TUNSETIFF(IFF_TUN | IFF_NO_PI)}, non-blocking, read and written
 * straight from pooled direct {@link ByteBuf} memory through JNA (no {@code byte[]} copy).
 *
 * <p>With {@link TunOptions#offload()} the device also carries a {@link VnetHeader} and has
 * {@code TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)}: the kernel then treats it like a NIC with checksum
 * and TCP segmentation offload. It hands us TCP packets whose checksum it left partial
 * ({@code NEEDS_CSUM}; completed here, so the stack above sees ordinary valid packets) and TCP
 * super-segments of up to 64 KiB that its TCP built for a TSO device ({@code GSO_TCPV4}; delivered
 * whole — to TCP they are one large in-window segment, as a GRO'd packet is to Linux), and it accepts
 * our super-segments through {@link #sendSegmented}, cutting them into MSS-sized segments itself.
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
    /** _IOW('T', 208, unsigned int): the argument is the flag word itself. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    /** _IOW('T', 216, int): the argument points at the header size. */
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    /** The largest packet a super-segment may be: an IPv4 total length is 16 bits. */
    static final int MAX_SEGMENTATION_PACKET = 65535;
    /** sizeof(struct virtio_net_hdr), the default TUNSETVNETHDRSZ. */
    static final int VNET_HEADER_LENGTH = 10;
    private static final int MAX_IPV4_PACKET = 65535;
    /** Reads in one batch at most ({@link #batchReads}). */
    private static final int MAX_READ_BATCH = 32;
    private static final int MIN_READ_BATCH = 4;
    /** A zeroed virtio_net_hdr (no checksum offload, no GSO), shared read-only by every device. */
    private static final Memory ZERO_VNET_HEADER = zeroed(VNET_HEADER_LENGTH);

    private final String name;
    private final TunOptions options;
    private final Counters counters;
    private final int fd;
    private final KernelInterface kernel;
    private final int headerLength;
    private final Memory iovecs;
    /** The virtio-net header of a super-segment being written (native memory, reused). */
    private final Memory txHeader;
    private final ByteBuf txHeaderView;
    private final VnetHeader vnet = new VnetHeader();
    private PacketReceiver receiver;
    /** write(2) on a thread of its own ({@link #startWriterThread}), or null: written inline. */
    private TunWriter writer;
    /** The writer's counts already added to {@link #counters}. */
    private long foldedPackets;
    private long foldedBytes;
    private long foldedDrops;
    private long foldedErrors;
    private long foldedFullWaits;
    private ByteBuf spare;
    private ByteBuf scratch;
    /** Reads in batches ({@link #batchReads}), or null: one read(2) per packet. Loop thread. */
    private IoUring readRing;
    /** The read ring's buffers, one per entry; null where the last packet read went to the receiver. */
    private ByteBuf[] readBuffers;
    /** Packets the last read batch found. */
    private int lastReadBatch;
    /** RWF_NOWAIT until the device refuses it ({@link IoUring#RWF_NOWAIT}). */
    private int readFlags = IoUring.RWF_NOWAIT;
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
        this.txHeader = options.offload() ? zeroed(VNET_HEADER_LENGTH) : null;
        this.txHeaderView = options.offload()
                ? io.netty.buffer.Unpooled.wrappedBuffer(txHeader.getByteBuffer(0, VNET_HEADER_LENGTH)) : null;
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
            if (options.vnetHeader()) {
                setVnetHeader(fd, requested, options.offload());
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
     * From now on packets are written by a thread of their own ({@link TunWriter}): {@link #send} and
     * {@link #sendSegmented} copy each packet into a bounded queue and return, in order, waiting when
     * the queue is full. A TUN write(2) runs the kernel's receive path for the packet inside the system
     * call; this moves that work off the event loop onto the other core. Loop thread (or before the
     * loop starts); at most once. Counters and {@link #lastErrno()} follow on the loop thread.
     */
    public void startWriterThread() {
        if (writer != null || closed) {
            return;
        }
        int packet = options.offload() ? MAX_SEGMENTATION_PACKET : Math.min(mtu, MAX_IPV4_PACKET);
        int slotSize = (headerLength + packet + 63) & ~63; // cache-line aligned slots
        writer = new TunWriter(fd, name, headerLength, options.offload() ? 64 : 256, slotSize, options.allocator());
    }

    /**
     * Packets handed to the writer thread so far (0 without one): with {@link #packetsDeparted} the
     * tickets by which TCP tells whether a packet it sent has really left (its timers wait for that,
     * {@code tcp.TransmitQueue}). Loop thread.
     */
    public long packetsQueued() {
        TunWriter w = writer;
        return w == null ? 0 : w.offered();
    }

    /** Of {@link #packetsQueued}, those the writer thread has written (or dropped). Any thread. */
    public long packetsDeparted() {
        TunWriter w = writer;
        return w == null ? 0 : w.departed();
    }

    /** Whether {@link #startWriterThread} is in force. */
    public boolean hasWriterThread() {
        return writer != null;
    }

    /**
     * Hands the packet to the writer thread if there is one; false when it must be written here (no
     * writer; or a packet larger than a slot, after an MTU change — then everything queued before it
     * is written first, so the order holds).
     */
    private boolean queued(long header, ByteBuf packet, int index, int length) {
        if (writer == null) {
            return false;
        }
        if (writer.asleep() && endsBurst(packet, index, length)) {
            // The writer sleeps with its ring empty and this segment ends what the stack has to say
            // for now (PSH: the application's answer; SYN, FIN, RST): written here it goes out
            // sooner than after waking the writer — the wake-up added ~15-30 µs to an echo round
            // trip. Order holds: everything queued was written. Everything else still goes to the
            // writer: a bulk transfer's segments (the writer that keeps up sleeps between them) and
            // pure ACKs (writing one into a bulk transfer runs the kernel sender's next
            // transmissions, dozens of segments, inside the call).
            return false;
        }
        if (headerLength + length > writer.slotSize()) {
            writer.drain();
            return false;
        }
        return writer.offer(header, packet, index, length);
    }

    /** Whether {@code packet[index, index + length)} is a TCP segment with PSH, SYN, FIN or RST (or not TCP). */
    private static boolean endsBurst(ByteBuf packet, int index, int length) {
        if (length < 40 || packet.getByte(index + 9) != 6) {
            return true; // ICMP and the like: one packet, an answer
        }
        int ipLength = (packet.getByte(index) & 0x0f) << 2;
        if (length < ipLength + 20) {
            return true;
        }
        return (packet.getUnsignedByte(index + ipLength + 13) & 0x0f) != 0; // FIN 1, SYN 2, RST 4, PSH 8
    }

    /** Adds what the writer thread counted since the last call to the counters (loop thread). */
    private void foldWriterCounts() {
        TunWriter w = writer;
        if (w == null) {
            return;
        }
        long packets = w.packetsWritten();
        long bytes = w.bytesWritten();
        long drops = w.drops();
        long errors = w.errors();
        long fullWaits = w.fullWaits();
        if (drops != foldedDrops || errors != foldedErrors) {
            lastErrno = w.lastErrno();
        }
        counters.add(LinkCounter.PACKETS_OUT, packets - foldedPackets);
        counters.add(LinkCounter.BYTES_OUT, bytes - foldedBytes);
        counters.add(LinkCounter.WRITE_DROPS, drops - foldedDrops);
        counters.add(LinkCounter.WRITE_ERRORS, errors - foldedErrors);
        counters.add(LinkCounter.WRITE_QUEUE_FULL, fullWaits - foldedFullWaits);
        foldedPackets = packets;
        foldedBytes = bytes;
        foldedDrops = drops;
        foldedErrors = errors;
        foldedFullWaits = fullWaits;
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
        foldWriterCounts();
        if (readRing != null) {
            return pollBatched();
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
            int outcome = deliver(buf, n);
            if (outcome != KEPT) {
                spare = null;
            }
            if (outcome == DELIVERED) {
                delivered++;
            }
        }
        return delivered;
    }

    /** {@link #deliver}: the buffer stays ours (nothing usable in it). */
    private static final int KEPT = 0;
    /** {@link #deliver}: the buffer was released (a packet refused). */
    private static final int CONSUMED = 1;
    /** {@link #deliver}: the packet went to the receiver, which owns the buffer now. */
    private static final int DELIVERED = 2;

    /** Hands the {@code n} bytes just read into {@code buf} on; says who has the buffer now. */
    private int deliver(ByteBuf buf, long n) {
        if (n > buf.capacity()) {
            // tun_put_user reports the whole packet's length even when our buffer held only part.
            counters.increment(LinkCounter.READ_TRUNCATED);
            return KEPT;
        }
        if (n < headerLength) {
            counters.increment(LinkCounter.READ_RUNT);
            return KEPT;
        }
        buf.setIndex(headerLength, (int) n);
        PacketReceiver r = receiver;
        boolean trusted = false;
        if (headerLength > 0) {
            int verdict = acceptOffload(buf, r != null && r.trustsOffloadedChecksums());
            if (verdict == OFFLOAD_REFUSED) {
                buf.release();
                return CONSUMED;
            }
            trusted = verdict == OFFLOAD_TRUSTED;
        }
        counters.increment(LinkCounter.PACKETS_IN);
        counters.add(LinkCounter.BYTES_IN, n - headerLength);
        if (r == null) {
            counters.increment(LinkCounter.NO_RECEIVER);
            buf.release();
        } else if (trusted) {
            r.onPacket(buf, true);
        } else {
            r.onPacket(buf);
        }
        return DELIVERED;
    }

    /**
     * From now on {@link #poll} reads through an io_uring ({@link IoUring}): a batch of reads, each
     * into its own buffer, in one system call, instead of one read(2) per packet and one more that
     * finds the queue empty. Loop thread; a no-op where the kernel gives no io_uring.
     */
    public void batchReads() {
        if (readRing != null || closed) {
            return;
        }
        readRing = IoUring.open(MAX_READ_BATCH);
        if (readRing != null) {
            readBuffers = new ByteBuf[readRing.capacity()];
        }
    }

    /** Whether {@link #batchReads} is in force. */
    public boolean readsBatched() {
        return readRing != null;
    }

    /**
     * {@link #poll} through the read ring. A batch asks for twice what the last one found (at least
     * {@value #MIN_READ_BATCH}): a read that finds the device empty costs little inside the batch,
     * but not nothing. Reads run in submission order, so the packets keep theirs.
     */
    private int pollBatched() {
        int delivered = 0;
        int max = options.maxPacketsPerPoll();
        while (delivered < max) {
            int count = Math.min(Math.min(readRing.capacity(), max - delivered),
                    Math.max(MIN_READ_BATCH, 2 * lastReadBatch));
            for (int i = 0; i < count; i++) {
                ByteBuf buf = readBuffer(i);
                readRing.prepare(i, IoUring.READ, fd, NativeAddress.of(buf), buf.capacity(), readFlags, false);
            }
            int ran = readRing.submit(count);
            int got = 0;
            boolean empty = ran < count;
            if (ran > 0 && readFlags != 0 && readRing.result(0) == -IoUring.EOPNOTSUPP) {
                readFlags = 0; // the device has no native non-blocking reads: O_NONBLOCK gives EAGAIN
                continue;
            }
            for (int i = 0; i < ran; i++) {
                int n = readRing.result(i);
                if (n <= 0) {
                    if (n != -Libc.EAGAIN && n != -Libc.EINTR && n != 0) {
                        lastErrno = -n;
                        counters.increment(LinkCounter.READ_ERRORS);
                    }
                    empty |= n != -Libc.EINTR;
                    continue;
                }
                int outcome = deliver(readBuffers[i], n);
                if (outcome != KEPT) {
                    readBuffers[i] = null;
                }
                if (outcome == DELIVERED) {
                    got++;
                }
            }
            delivered += got;
            lastReadBatch = got;
            if (empty) {
                break;
            }
        }
        return delivered;
    }

    /** The read ring's buffer for entry {@code i}: kept from the last batch if unused, else a new one. */
    private ByteBuf readBuffer(int i) {
        readBuffers[i] = readable(readBuffers[i]);
        return readBuffers[i];
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
            if (queued(Pointer.nativeValue(ZERO_VNET_HEADER), packet, packet.readerIndex(), length)) {
                return;
            }
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
            if (!countWrite(n, length)) {
                return;
            }
        } finally {
            packet.release();
        }
    }

    /**
     * With offload, the largest super-segment the kernel segments for us ({@value #MAX_SEGMENTATION_PACKET}
     * bytes, the IPv4 limit; the kernel's own gso_max_size is 64 KiB); 0 without.
     */
    @Override
    public int segmentationOffload() {
        return options.offload() ? MAX_SEGMENTATION_PACKET : 0;
    }

    /**
     * Writes a TCP/IPv4 super-segment with a virtio-net header asking the kernel to segment it into
     * pieces of {@code segmentSize} payload bytes (GSO_TCPV4) and to compute their checksums
     * (NEEDS_CSUM, from the pseudo-header sum written into the TCP checksum field here). Takes
     * ownership of {@code packet}. A packet that fits one segment goes out as an ordinary packet;
     * without offload the packet is cut in software ({@link LinkDevice#sendSegmented}).
     */
    @Override
    public void sendSegmented(ByteBuf packet, int segmentSize) {
        if (!options.offload()) {
            LinkDevice.super.sendSegmented(packet, segmentSize);
            return;
        }
        int length = packet.readableBytes();
        if (TcpSegmentation.checkTcp(packet) != TcpSegmentation.Outcome.DONE || segmentSize <= 0
                || length > MAX_SEGMENTATION_PACKET) {
            counters.increment(LinkCounter.SEGMENTATION_REFUSED);
            packet.release();
            return;
        }
        int base = packet.readerIndex();
        int ipLength = (packet.getUnsignedByte(base) & 0x0f) << 2;
        int tcpLength = (packet.getUnsignedByte(base + ipLength + 12) >>> 4) << 2;
        boolean oneSegment = length - ipLength - tcpLength <= segmentSize;
        try {
            if (closed) {
                counters.increment(LinkCounter.SEND_AFTER_CLOSE);
                return;
            }
            // The TCP layer may have left only the pseudo-header sum (SegmentBuilder.partialChecksum);
            // writing it again makes the packet's own checksum irrelevant. One segment: checksum only.
            TcpSegmentation.writePartialChecksum(packet);
            vnet.tcpv4(ipLength, tcpLength, oneSegment ? 0 : segmentSize).write(txHeaderView, 0);
            if (queued(Pointer.nativeValue(txHeader), packet, base, length)) {
                if (!oneSegment) {
                    counters.increment(LinkCounter.GSO_PACKETS_OUT);
                    counters.add(LinkCounter.GSO_BYTES_OUT, length);
                }
                return;
            }
            long address;
            if (NativeAddress.addressable(packet)) {
                address = NativeAddress.of(packet) + base;
            } else {
                ByteBuf copy = scratchBuffer();
                copy.clear().writeBytes(packet, base, length);
                address = NativeAddress.of(copy);
            }
            long n = writeWithHeader(Pointer.nativeValue(txHeader), address, length);
            if (n < 0 && Libc.errno() == Libc.EINTR) {
                n = writeWithHeader(Pointer.nativeValue(txHeader), address, length);
            }
            if (!countWrite(n, length)) {
                return;
            }
            if (!oneSegment) {
                counters.increment(LinkCounter.GSO_PACKETS_OUT);
                counters.add(LinkCounter.GSO_BYTES_OUT, length);
            }
        } finally {
            packet.release();
        }
    }

    /**
     * Counts the outcome of one write(2) of {@code length} bytes that returned {@code n}; false when
     * it failed (a full queue, EAGAIN/ENOBUFS, is a drop; anything else an error, its errno kept).
     */
    private boolean countWrite(long n, int length) {
        if (n < 0) {
            int errno = Libc.errno();
            lastErrno = errno;
            counters.increment(errno == Libc.EAGAIN || errno == Libc.ENOBUFS
                    ? LinkCounter.WRITE_DROPS : LinkCounter.WRITE_ERRORS);
            return false;
        }
        counters.increment(LinkCounter.PACKETS_OUT);
        counters.add(LinkCounter.BYTES_OUT, length);
        return true;
    }

    /** Closes the device; a non-persistent device disappears from the kernel. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writer != null) {
            writer.close(); // writes what is queued first
            foldWriterCounts();
        }
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
        if (readRing != null) {
            for (int i = 0; i < readBuffers.length; i++) {
                if (readBuffers[i] != null) {
                    readBuffers[i].release();
                    readBuffers[i] = null;
                }
            }
            readRing.close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private long write(long address, int length) {
        if (headerLength == 0) {
            return Libc.write(fd, address, length);
        }
        return writeWithHeader(Pointer.nativeValue(ZERO_VNET_HEADER), address, length);
    }

    private long writeWithHeader(long header, long address, int length) {
        // struct iovec { void *base; size_t len; } x2: the virtio_net_hdr, then the packet.
        iovecs.setLong(0, header);
        iovecs.setLong(8, headerLength);
        iovecs.setLong(16, address);
        iovecs.setLong(24, length);
        return Libc.writev(fd, Pointer.nativeValue(iovecs), 2);
    }

    private static final int OFFLOAD_REFUSED = 0;
    private static final int OFFLOAD_PLAIN = 1;
    private static final int OFFLOAD_TRUSTED = 2;

    /**
     * Acts on the virtio-net header at index 0 of a packet just read and counts super-segments. A
     * partial checksum (NEEDS_CSUM) is left for a receiver that trusts offloaded checksums
     * ({@link #OFFLOAD_TRUSTED}: it skips verification; two passes over 64 KiB saved) and completed
     * for any other, so it sees an ordinary valid packet. {@link #OFFLOAD_REFUSED} when the header
     * asks for something we cannot honour (the packet is then dropped and counted).
     */
    private int acceptOffload(ByteBuf buf, boolean receiverTrusts) {
        VnetHeader h = vnet.read(buf, 0);
        if (h.gsoType() != VnetHeader.GSO_NONE) {
            if (h.gsoType() != VnetHeader.GSO_TCPV4) {
                counters.increment(LinkCounter.BAD_VNET_HEADER); // only TSO4 was offered
                return OFFLOAD_REFUSED;
            }
            counters.increment(LinkCounter.GSO_PACKETS_IN);
            counters.add(LinkCounter.GSO_BYTES_IN, buf.readableBytes());
        }
        if (!h.needsChecksum()) {
            return OFFLOAD_PLAIN;
        }
        int length = buf.readableBytes();
        if (h.checksumStart() + h.checksumOffset() + 2 > length) {
            counters.increment(LinkCounter.BAD_VNET_HEADER);
            return OFFLOAD_REFUSED;
        }
        counters.increment(LinkCounter.PARTIAL_CHECKSUMS_IN);
        if (receiverTrusts) {
            return OFFLOAD_TRUSTED;
        }
        TcpSegmentation.completeChecksum(buf, h.checksumStart(), h.checksumOffset());
        return OFFLOAD_PLAIN;
    }

    /**
     * TUNSETVNETHDRSZ (10, the plain {@code struct virtio_net_hdr}) and, with {@code offload},
     * TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4): from then on the kernel may hand us partial checksums
     * and TCP super-segments, and takes ours (drivers/net/tun.c set_offload).
     */
    private static void setVnetHeader(int fd, String name, boolean offload) {
        Memory size = new Memory(4);
        size.setInt(0, VNET_HEADER_LENGTH);
        if (Libc.ioctl(fd, TUNSETVNETHDRSZ, Pointer.nativeValue(size)) != 0) {
            int errno = Libc.errno();
            throw new LinkSetupException(SYSTEM, errno, "cannot set the virtio-net header size on " + name + ": "
                    + Libc.describe(errno) + " — run without --offload, or on a kernel with TUN vnet header support");
        }
        if (offload && Libc.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4) != 0) {
            int errno = Libc.errno();
            throw new LinkSetupException(SYSTEM, errno, "cannot enable checksum/segmentation offload on " + name + ": "
                    + Libc.describe(errno) + " — run without --offload");
        }
    }

    private ByteBuf spareBuffer() {
        spare = readable(spare);
        return spare;
    }

    /**
     * {@code kept} cleared for the next read if it can hold any packet the device may hand over (a
     * buffer left unused by the last read), else a new one ({@code kept}, if any, released).
     */
    private ByteBuf readable(ByteBuf kept) {
        // With TSO on, the kernel hands over super-segments of up to 64 KiB whatever the MTU.
        int capacity = headerLength + (options.offload() ? MAX_IPV4_PACKET : Math.min(mtu, MAX_IPV4_PACKET));
        if (kept != null && kept.capacity() >= capacity) {
            return kept.clear();
        }
        if (kept != null) {
            kept.release();
        }
        return options.allocator().directBuffer(capacity, capacity);
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
