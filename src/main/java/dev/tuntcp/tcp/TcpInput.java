package dev.tuntcp.tcp;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.wire.ParseError;
import dev.tuntcp.wire.TcpControl;
import dev.tuntcp.wire.TcpHeader;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;

/**
 * The wire side of TCP input: validates a segment handed up by IP (structure, checksum, options,
 * flag combination, addresses), turns it into a {@link Segment} and passes it to
 * {@link TcpLayer#input}. One reusable header view, options holder and segment: nothing is allocated
 * per packet. Every rejection is counted under a {@link TcpDrop} reason (and the wire's
 * {@link ParseError} detail); nothing throws.
 */
public final class TcpInput {
    private final TcpLayer layer;
    private final Counters counters;
    private final TcpHeader header = new TcpHeader();
    private final TcpOptions options = new TcpOptions();
    private final Segment segment = new Segment();

    public TcpInput(TcpLayer layer) {
        this.layer = layer;
        this.counters = layer.counters();
    }

    /**
     * Processes the TCP segment in {@code buf[offset, offset + length)} of an IPv4 datagram from
     * {@code sourceAddress} to {@code destinationAddress}. {@code buf} is borrowed for the call: TCP
     * copies the data it keeps, and the caller releases {@code buf} afterwards.
     */
    public void receive(int sourceAddress, int destinationAddress, ByteBuf buf, int offset, int length) {
        receive(sourceAddress, destinationAddress, buf, offset, length, false);
    }

    /**
     * As {@link #receive(int, int, ByteBuf, int, int)}; with {@code checksumTrusted} the link has
     * vouched for the checksum (checksum offload: the kernel left only the pseudo-header sum in it),
     * so it is not verified — as Linux takes a CHECKSUM_PARTIAL packet from a local sender.
     */
    public void receive(int sourceAddress, int destinationAddress, ByteBuf buf, int offset, int length,
                        boolean checksumTrusted) {
        ParseError error = header.wrap(buf, offset, length);
        if (error != ParseError.NONE) {
            counters.increment(error);
            layer.drop(null, null, TcpDrop.MALFORMED);
            return;
        }
        // RFC 9293 §3.1 (MUST-2/3): the checksum covers pseudo-header, header and data.
        if (!checksumTrusted && header.verifyChecksum(sourceAddress, destinationAddress) != ParseError.NONE) {
            counters.increment(ParseError.TCP_BAD_CHECKSUM);
            layer.drop(null, null, TcpDrop.BAD_CHECKSUM);
            return;
        }
        error = header.readOptions(options);
        if (error != ParseError.NONE) {
            // RFC 9293 §3.2 (MUST-7): be robust against illegal option lengths; such a segment is
            // not trusted at all.
            counters.increment(error);
            layer.drop(null, null, TcpDrop.MALFORMED);
            return;
        }
        if (options.warning() != ParseError.NONE) {
            counters.increment(options.warning()); // e.g. a window scale above 14, clamped (RFC 7323 §2.3)
        }
        int flags = header.flags();
        TcpControl control = TcpControl.classify(flags);
        if (control == TcpControl.ILLEGAL_SYN_FIN || control == TcpControl.ILLEGAL_SYN_RST) {
            // Opening and closing (or resetting) at once is not a request any state can act on
            // (DESIGN §7: smoltcp makes it unrepresentable); the other odd combinations (null, FIN
            // or Xmas scans) are answered by the state machine as RFC 9293 §3.10.7 says.
            counters.increment(control);
            layer.drop(null, null, TcpDrop.ILLEGAL_FLAGS);
            return;
        }
        int sourcePort = header.sourcePort();
        int destinationPort = header.destinationPort();
        if (sourcePort == 0 || destinationPort == 0 || !unicast(sourceAddress) || !unicast(destinationAddress)) {
            // RFC 1122 §4.2.3.10 (RFC 9293 MUST-57): no connection with a broadcast or multicast
            // address; port 0 is reserved. Never answered, so no RST goes to a broadcast address.
            layer.drop(null, null, TcpDrop.BAD_ADDRESS);
            return;
        }
        Segment s = segment.clear();
        s.sourceAddress = sourceAddress;
        s.destinationAddress = destinationAddress;
        s.sourcePort = sourcePort;
        s.destinationPort = destinationPort;
        s.seq = header.seq();
        s.ack = header.ack();
        s.flags = flags;
        s.window = header.window();
        s.urgentPointer = header.urgentPointer();
        if (options.hasMss()) {
            s.mss = options.mss();
        }
        if (options.hasWindowScale()) {
            s.windowScale = options.windowScale();
        }
        s.sackPermitted = options.sackPermitted();
        if (options.hasTimestamps()) {
            s.hasTimestamps = true;
            s.tsVal = options.tsVal();
            s.tsEcr = options.tsEcr();
        }
        int blocks = Math.min(options.sackBlockCount(), Segment.MAX_SACK_BLOCKS);
        for (int i = 0; i < blocks; i++) {
            s.sackLeft[i] = options.sackLeft(i);
            s.sackRight[i] = options.sackRight(i);
        }
        s.sackBlockCount = blocks;
        int dataLength = header.payloadLength();
        if (dataLength > 0) {
            s.data = buf;
            s.dataIndex = header.payloadOffset();
            s.dataLength = dataLength;
        }
        layer.input(s);
    }

    /** Not 0.0.0.0, not multicast (224/4), not the limited broadcast or class E (240/4). */
    private static boolean unicast(int address) {
        return address != 0 && (address >>> 28) != 0xE && (address >>> 28) != 0xF;
    }
}
