package dev.tuntcp.ip;

import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.ParseError;
import io.netty.buffer.ByteBuf;

/**
 * Everything that arrives from the link: validates the IPv4 header, drops what is not for us with a
 * named reason ({@link Ipv4Drop}), reassembles fragments, answers ICMP echo, and hands each datagram
 * to the {@link TransportReceiver} registered for its protocol, or answers ICMP protocol unreachable.
 * Bad input never throws and never leaks: every path releases the packet or hands it on.
 *
 * <p>Order of checks (RFC 1122 §3.2.1, RFC 791 §3.2): version (anything else, e.g. the IPv6 the
 * kernel sends into a fresh TUN, is {@link Ipv4Drop#NOT_IPV4}); header length, total length and
 * checksum; link padding after the total length trimmed; TTL; source; destination; reassembly;
 * demultiplexing. Owned by the event-loop thread; allocation free except for reassembled datagrams
 * and ICMP replies the output must build.
 */
public final class Ipv4Input implements LinkDevice.PacketReceiver {
    private final Ipv4Config config;
    private final Counters counters;
    private final FragmentReassembler reassembler;
    private final IcmpHandler icmp;
    private final TransportReceiver[] transports = new TransportReceiver[256];
    private final Ipv4Header ip = new Ipv4Header();

    public Ipv4Input(Ipv4Config config, Ipv4Output output, FragmentReassembler reassembler, Counters counters,
                     IcmpRateLimiter errorLimit) {
        this.config = config;
        this.counters = counters;
        this.reassembler = reassembler;
        this.icmp = new IcmpHandler(output, counters, errorLimit);
        reassembler.setTimeoutListener(icmp::sendReassemblyTimeExceeded);
    }

    /**
     * Registers the receiver of one transport protocol (6 for TCP), replacing any previous one; null
     * unregisters. ICMP (1) is handled here and cannot be registered.
     */
    public void register(int protocol, TransportReceiver receiver) {
        if (protocol <= 0 || protocol > 255 || protocol == Ipv4Header.PROTOCOL_ICMP) {
            throw new IllegalArgumentException("cannot register a receiver for protocol " + protocol);
        }
        transports[protocol] = receiver;
    }

    public Ipv4Config config() {
        return config;
    }

    /** Takes ownership of {@code packet} (one IPv4 packet from {@code readerIndex}). */
    @Override
    public void onPacket(ByteBuf packet) {
        onPacket(packet, false);
    }

    /** The transport checksum is passed on as trusted to the transport (TCP); see the interface. */
    @Override
    public boolean trustsOffloadedChecksums() {
        return true;
    }

    /**
     * Takes ownership of {@code packet}; {@code transportChecksumTrusted} (checksum offload) goes to
     * the transport with it — never for a reassembled datagram, which the offload cannot have made.
     */
    @Override
    public void onPacket(ByteBuf packet, boolean transportChecksumTrusted) {
        counters.increment(Ipv4Stat.PACKETS_IN);
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length > 0 && (packet.getUnsignedByte(start) >>> 4) != 4) {
            drop(packet, Ipv4Drop.NOT_IPV4); // whatever its length: IPv6, or not IP at all
            return;
        }
        ParseError error = ip.wrap(packet, start, length);
        if (error.isError()) {
            drop(packet, Ipv4Drop.of(error));
            return;
        }
        if (ip.totalLength() < length) {
            // RFC 791 §3.1: the datagram is total-length bytes; what follows is link padding
            // (Linux's ip_rcv trims it the same way).
            counters.increment(Ipv4Stat.PADDING_TRIMMED);
            packet.writerIndex(start + ip.totalLength());
        }
        if (ip.ttl() == 0) {
            drop(packet, Ipv4Drop.TTL_ZERO);
            return;
        }
        int source = ip.sourceAddress();
        if (!isUnicastSource(source)) {
            drop(packet, Ipv4Drop.BAD_SOURCE);
            return;
        }
        int destination = ip.destinationAddress();
        if (destination != config.address()) {
            drop(packet, Ipv4Config.isMulticast(destination) ? Ipv4Drop.MULTICAST
                    : config.isBroadcast(destination) ? Ipv4Drop.BROADCAST : Ipv4Drop.NOT_FOR_US);
            return;
        }
        if (ip.isFragment()) {
            counters.increment(Ipv4Stat.FRAGMENTS_IN);
            transportChecksumTrusted = false;
            packet = reassembler.offer(packet, ip.headerLength(), ip.payloadLength(), source, destination,
                    ip.protocol(), ip.identification(), ip.fragmentOffset(), ip.moreFragments());
            if (packet == null) {
                return;
            }
            counters.increment(Ipv4Stat.REASSEMBLED);
            // The reassembler built a valid header; re-point the view at the whole datagram.
            if (ip.wrap(packet, packet.readerIndex(), packet.readableBytes()).isError()) {
                drop(packet, Ipv4Drop.TRUNCATED);
                return;
            }
        }
        demultiplex(packet, transportChecksumTrusted);
    }

    private void demultiplex(ByteBuf packet, boolean checksumTrusted) {
        int protocol = ip.protocol();
        if (protocol == Ipv4Header.PROTOCOL_ICMP) {
            icmp.onIcmp(ip, packet, transports);
            return;
        }
        TransportReceiver receiver = transports[protocol];
        if (receiver != null) {
            counters.increment(Ipv4Stat.DELIVERED);
            if (checksumTrusted) {
                receiver.onSegment(ip, packet, true);
            } else {
                receiver.onSegment(ip, packet);
            }
            return;
        }
        counters.increment(Ipv4Drop.NO_TRANSPORT);
        try {
            icmp.sendProtocolUnreachable(ip);
        } finally {
            packet.release();
        }
    }

    /**
     * RFC 1122 §3.2.1.3: a host MUST silently discard a datagram whose source is not a unicast
     * address: 0.0.0.0/8 ("this network"), 127.0.0.0/8 (loopback, never on a wire), multicast, class
     * E and limited broadcast; also a directed broadcast of our subnet, and our own address (a
     * reflection or a spoof).
     */
    private boolean isUnicastSource(int source) {
        int first = source >>> 24;
        return first != 0 && first != 127 && first < 224 && !config.isBroadcast(source) && source != config.address();
    }

    private void drop(ByteBuf packet, Ipv4Drop reason) {
        counters.increment(reason);
        packet.release();
    }
}
