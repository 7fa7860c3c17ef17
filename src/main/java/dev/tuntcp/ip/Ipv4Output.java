package dev.tuntcp.ip;

import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.Ipv4HeaderWriter;
import dev.tuntcp.wire.ParseError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Sends IPv4 datagrams on the link: whole packets built by a transport ({@link #send}) or a transport
 * payload to wrap in a header ({@link #sendPayload}); fragments what exceeds the link MTU unless DF is
 * set (RFC 791 §3.2, RFC 1122 §3.3.3); hands out Identification values ({@link IpIdGenerator}).
 *
 * <p>Owned by the event-loop thread. The point-to-point link needs no routing: everything goes to the
 * peer. A packet that fits the MTU goes to the link untouched, with no copy and no allocation.
 */
public final class Ipv4Output {
    private final LinkDevice link;
    private final Ipv4Config config;
    private final Counters counters;
    private final ByteBufAllocator alloc;
    private final IpIdGenerator ids;
    private final Ipv4Header view = new Ipv4Header();

    public Ipv4Output(LinkDevice link, Ipv4Config config, Counters counters, ByteBufAllocator alloc, IpIdGenerator ids) {
        this.link = link;
        this.config = config;
        this.counters = counters;
        this.alloc = alloc;
        this.ids = ids;
    }

    /** The largest packet the link carries unfragmented. */
    public int mtu() {
        return link.mtu();
    }

    public Ipv4Config config() {
        return config;
    }

    /** The stack's allocator, for building packets to {@link #send}. */
    public ByteBufAllocator alloc() {
        return alloc;
    }

    /** The Identification for the next datagram from us to {@code destination} (RFC 6864). */
    public int nextIdentification(int destination, int protocol) {
        return ids.next(config.address(), destination, protocol);
    }

    /**
     * Sends one complete IPv4 packet (header with a valid checksum, from {@code readerIndex}). Takes
     * ownership: the link releases it once written, or it is released here when fragmented or dropped.
     * A packet larger than the MTU is fragmented, or dropped ({@link Ipv4Drop#OUT_TOO_BIG_WITH_DF})
     * when DF is set.
     */
    public void send(ByteBuf packet) {
        int length = packet.readableBytes();
        int mtu = link.mtu();
        if (length <= mtu) {
            counters.increment(Ipv4Stat.PACKETS_OUT);
            link.send(packet);
            return;
        }
        try {
            ParseError error = view.wrap(packet, packet.readerIndex(), length);
            if (error.isError()) {
                counters.increment(Ipv4Drop.OUT_MALFORMED);
            } else if (view.dontFragment()) {
                counters.increment(Ipv4Drop.OUT_TOO_BIG_WITH_DF);
            } else {
                fragment(view, packet, mtu);
            }
        } finally {
            packet.release();
        }
    }

    /**
     * Sends a TCP super-segment built for segmentation offload: the link segments it into pieces of
     * at most {@code segmentSize} payload bytes ({@link LinkDevice#sendSegmented}) instead of IP
     * fragmenting it, and completes its TCP checksum (it may hold only the pseudo-header sum).
     * Takes ownership.
     */
    public void sendSegmented(ByteBuf packet, int segmentSize) {
        counters.increment(Ipv4Stat.PACKETS_OUT);
        link.sendSegmented(packet, segmentSize);
    }

    /**
     * Wraps a transport payload (e.g. an ICMP message or a TCP segment without IP header) in a 20-byte
     * IPv4 header from us to {@code destination}, TTL 64, and sends it. Takes ownership of
     * {@code payload} (released here; its bytes are copied).
     */
    public void sendPayload(int destination, int protocol, ByteBuf payload, boolean dontFragment) {
        try {
            int total = Ipv4Header.MIN_LENGTH + payload.readableBytes();
            if (total > FragmentReassembler.MAX_DATAGRAM) {
                counters.increment(Ipv4Drop.OUT_MALFORMED);
                return;
            }
            ByteBuf packet = alloc.directBuffer(total);
            Ipv4HeaderWriter.write(packet, packet.writerIndex(), 0, total, nextIdentification(destination, protocol),
                    dontFragment, Ipv4HeaderWriter.DEFAULT_TTL, protocol, config.address(), destination);
            packet.writerIndex(packet.writerIndex() + Ipv4Header.MIN_LENGTH);
            packet.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            send(packet);
        } finally {
            payload.release();
        }
    }

    /**
     * RFC 791 §3.2 fragmentation: every fragment but the last carries a multiple of 8 payload bytes;
     * the first keeps all options, later ones only those with the "copied" flag (RFC 791 §3.1). A
     * datagram that is itself a fragment is split further, keeping its offset and its MF on the last.
     */
    private void fragment(Ipv4Header ip, ByteBuf packet, int mtu) {
        int base = ip.offset();
        int headerLength = ip.headerLength();
        int laterHeaderLength = Ipv4Header.MIN_LENGTH + copiedOptionsLength(packet, base, headerLength);
        int payloadLength = ip.payloadLength();
        int originalOffset = ip.fragmentOffset();
        boolean originalMore = ip.moreFragments();
        counters.increment(Ipv4Stat.FRAGMENTED);
        int done = 0;
        while (done < payloadLength) {
            boolean first = done == 0;
            int h = first ? headerLength : laterHeaderLength;
            int room = (mtu - h) & ~7;
            int len = Math.min(room, payloadLength - done);
            boolean last = done + len == payloadLength;
            ByteBuf f = alloc.directBuffer(h + len);
            f.writeBytes(packet, base, Ipv4Header.MIN_LENGTH);
            if (first) {
                f.writeBytes(packet, base + Ipv4Header.MIN_LENGTH, headerLength - Ipv4Header.MIN_LENGTH);
            } else {
                writeCopiedOptions(packet, base, headerLength, f, laterHeaderLength);
            }
            f.setByte(0, 0x40 | (h >>> 2));
            f.setShort(2, h + len);
            int offsetUnits = (originalOffset + done) >>> 3;
            f.setShort(6, ((last && !originalMore) ? 0 : 0x2000) | offsetUnits);
            f.writeBytes(packet, ip.payloadOffset() + done, len);
            Ipv4HeaderWriter.updateChecksum(f, 0);
            counters.increment(Ipv4Stat.FRAGMENTS_OUT);
            counters.increment(Ipv4Stat.PACKETS_OUT);
            link.send(f);
            done += len;
        }
    }

    /** Bytes of options with the copied flag, padded to a 4-byte multiple. */
    private static int copiedOptionsLength(ByteBuf packet, int base, int headerLength) {
        int copied = 0;
        int i = base + Ipv4Header.MIN_LENGTH;
        int end = base + headerLength;
        while (i < end) {
            int type = packet.getUnsignedByte(i);
            if (type == 0) {
                break; // end of option list
            }
            if (type == 1) {
                i++; // no-operation, not copied
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int len = packet.getUnsignedByte(i + 1);
            if (len < 2 || i + len > end) {
                break; // malformed: copy nothing further
            }
            if ((type & 0x80) != 0) {
                copied += len;
            }
            i += len;
        }
        return (copied + 3) & ~3;
    }

    private static void writeCopiedOptions(ByteBuf packet, int base, int headerLength, ByteBuf out, int laterHeaderLength) {
        int i = base + Ipv4Header.MIN_LENGTH;
        int end = base + headerLength;
        while (i < end) {
            int type = packet.getUnsignedByte(i);
            if (type == 0) {
                break;
            }
            if (type == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int len = packet.getUnsignedByte(i + 1);
            if (len < 2 || i + len > end) {
                break;
            }
            if ((type & 0x80) != 0) {
                out.writeBytes(packet, i, len);
            }
            i += len;
        }
        while (out.writerIndex() < laterHeaderLength) {
            out.writeByte(0); // end-of-option-list padding
        }
    }
}
