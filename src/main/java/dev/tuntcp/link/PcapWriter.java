package dev.tuntcp.link;

import io.netty.buffer.ByteBuf;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes packets to a classic pcap file (the libpcap format, draft-ietf-opsawg-pcap): a 24-byte
 * file header with the nanosecond magic {@code 0xa1b23c4d} and link type {@link #LINKTYPE_RAW} (raw
 * IP, no link header; what a TUN device carries), then per packet a 16-byte record header and the
 * bytes. Readable by tshark, Wireshark and tcpdump.
 *
 * <p>Records are staged in one direct buffer and written when it fills, on {@link #flush()} and on
 * {@link #close()}; steady-state writing allocates nothing. Not thread-safe: one writer per thread
 * (the event loop).
 */
public final class PcapWriter implements Closeable {
    /** Nanosecond-resolution magic; written in our byte order, which readers detect from it. */
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    /** LINKTYPE_RAW: raw IPv4 or IPv6, version from the first nibble. */
    public static final int LINKTYPE_RAW = 101;
    /** LINKTYPE_IPV4: raw IPv4 only. */
    public static final int LINKTYPE_IPV4 = 228;
    public static final int DEFAULT_SNAPLEN = 65535;
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;

    private final WritableByteChannel out;
    private final int snaplen;
    private final ByteBuffer staging;
    private long records;
    private boolean closed;

    /** Creates (or truncates) {@code file}: raw IP, full packets. */
    public static PcapWriter create(Path file) throws IOException {
        return create(file, LINKTYPE_RAW, DEFAULT_SNAPLEN);
    }

    public static PcapWriter create(Path file, int linkType, int snaplen) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new PcapWriter(channel, linkType, snaplen);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Writes the file header to {@code out} right away; closing the writer closes {@code out}. */
    public PcapWriter(WritableByteChannel out, int linkType, int snaplen) throws IOException {
        if (snaplen < 1 || snaplen > 262144) {
            throw new IllegalArgumentException("snaplen " + snaplen + " outside 1..262144");
        }
        this.out = out;
        this.snaplen = snaplen;
        this.staging = ByteBuffer.allocateDirect(FILE_HEADER + 2 * (RECORD_HEADER + 65536)).order(ByteOrder.LITTLE_ENDIAN);
        staging.putInt(MAGIC_NANOS)
                .putShort((short) 2).putShort((short) 4) // version 2.4
                .putInt(0)                                // thiszone: timestamps are UTC
                .putInt(0)                                // sigfigs
                .putInt(snaplen)
                .putInt(linkType);
        flush();
    }

    /**
     * Appends one record: the packet from {@code readerIndex} to {@code writerIndex} (cut to the
     * snap length), stamped {@code epochNanos} (nanoseconds since 1970-01-01 UTC). Does not consume
     * or release {@code packet}.
     */
    public void write(ByteBuf packet, long epochNanos) throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        int length = packet.readableBytes();
        int captured = Math.min(length, snaplen);
        if (staging.remaining() < RECORD_HEADER + captured) {
            flush();
        }
        staging.putInt((int) Math.floorDiv(epochNanos, 1_000_000_000L))
                .putInt((int) Math.floorMod(epochNanos, 1_000_000_000L))
                .putInt(captured)
                .putInt(length);
        int end = staging.position() + captured;
        staging.limit(end);
        packet.getBytes(packet.readerIndex(), staging);
        staging.limit(staging.capacity());
        records++;
    }

    /** Writes what is staged to the file. */
    public void flush() throws IOException {
        staging.flip();
        while (staging.hasRemaining()) {
            out.write(staging);
        }
        staging.clear();
    }

    /** How many packets were written. */
    public long records() {
        return records;
    }

    /** Flushes and closes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
