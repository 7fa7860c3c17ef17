package dev.tuntcp.ip;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.wire.IcmpBuilder;
import dev.tuntcp.wire.IcmpEcho;
import dev.tuntcp.wire.InternetChecksum;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.Ipv4HeaderWriter;
import dev.tuntcp.wire.ParseError;
import io.netty.buffer.ByteBuf;

/**
 * ICMP for a host (RFC 792, RFC 1122 §3.2.2): answers echo requests, passes errors about our own
 * datagrams to the transport that sent them, and sends the errors the IP layer owes (protocol
 * unreachable, reassembly time exceeded) within a rate limit. Owned by the event-loop thread.
 */
final class IcmpHandler {
    /** RFC 792: time exceeded, code 1 = fragment reassembly time exceeded. */
    private static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;
    private static final int TYPE_PARAMETER_PROBLEM = 12;

    private final Ipv4Output output;
    private final Counters counters;
    private final IcmpRateLimiter errorLimit;
    private final IcmpEcho icmp = new IcmpEcho();

    IcmpHandler(Ipv4Output output, Counters counters, IcmpRateLimiter errorLimit) {
        this.output = output;
        this.counters = counters;
        this.errorLimit = errorLimit;
    }

    /** Handles one ICMP datagram addressed to us; takes ownership of {@code packet}. */
    void onIcmp(Ipv4Header ip, ByteBuf packet, TransportReceiver[] transports) {
        ParseError error = icmp.wrap(ip);
        if (error.isError()) {
            counters.increment(Ipv4Drop.of(error));
            packet.release();
            return;
        }
        if (icmp.isEchoRequest()) {
            counters.increment(Ipv4Stat.ECHO_REQUESTS);
            answerEcho(ip, packet);
            return;
        }
        counters.increment(Ipv4Stat.ICMP_OTHER_IN);
        try {
            int type = icmp.type();
            if (type == IcmpEcho.TYPE_DESTINATION_UNREACHABLE || type == IcmpEcho.TYPE_TIME_EXCEEDED
                    || type == TYPE_PARAMETER_PROBLEM) {
                passErrorToTransport(transports);
            }
        } finally {
            packet.release();
        }
    }

    /**
     * RFC 792 echo: the reply carries the request's identifier, sequence and data. Built in place in
     * the request's own buffer when we may write it (the common case: no copy, no allocation), else
     * into a new one. A reply larger than the MTU is fragmented by the output (DF clear).
     */
    private void answerEcho(Ipv4Header ip, ByteBuf packet) {
        int peer = ip.sourceAddress();
        int id = output.nextIdentification(peer, Ipv4Header.PROTOCOL_ICMP);
        if (ip.headerLength() == Ipv4Header.MIN_LENGTH && packet.refCnt() == 1 && !packet.isReadOnly()) {
            int base = ip.offset();
            int message = ip.payloadOffset();
            int oldTypeCode = packet.getUnsignedShort(message);
            packet.setShort(message, IcmpEcho.TYPE_ECHO_REPLY << 8);
            // RFC 1624 eqn. 3: only the type changed, so the checksum is updated, not recomputed.
            int checksum = packet.getUnsignedShort(message + 2);
            packet.setShort(message + 2, InternetChecksum.update(checksum, oldTypeCode, IcmpEcho.TYPE_ECHO_REPLY << 8));
            Ipv4HeaderWriter.write(packet, base, ip.tos(), ip.totalLength(), id, false,
                    Ipv4HeaderWriter.DEFAULT_TTL, Ipv4Header.PROTOCOL_ICMP, ip.destinationAddress(), peer);
            output.send(packet);
            return;
        }
        // Options in the request (RFC 1122 §3.2.2.6 would have us reflect some) or a shared buffer:
        // build a fresh reply without options.
        ByteBuf reply = output.alloc().directBuffer(Ipv4Header.MIN_LENGTH + icmp.length());
        IcmpBuilder.writeEchoReply(reply, ip.destinationAddress(), peer, id, icmp);
        packet.release();
        output.send(reply);
    }

    private void passErrorToTransport(TransportReceiver[] transports) {
        // RFC 792: the message quotes the offending datagram's header and at least 8 bytes of it.
        int quote = icmp.payloadOffset();
        int quoteLength = icmp.payloadLength();
        ByteBuf buf = icmp.buffer();
        if (quoteLength < Ipv4Header.MIN_LENGTH + 8 || (buf.getUnsignedByte(quote) >>> 4) != 4) {
            return;
        }
        int quotedHeader = (buf.getUnsignedByte(quote) & 0x0f) << 2;
        if (quotedHeader < Ipv4Header.MIN_LENGTH || quoteLength < quotedHeader + 8) {
            return;
        }
        TransportReceiver t = transports[buf.getUnsignedByte(quote + 9)];
        if (t != null) {
            t.onIcmpError(icmp.type(), icmp.code(), icmp.restOfHeader(), buf, quote, quoteLength);
        }
    }

    /** RFC 1122 §3.2.2.1: protocol unreachable for a datagram (borrowed) no transport takes. */
    void sendProtocolUnreachable(Ipv4Header ip) {
        if (!errorLimit.tryAcquire()) {
            counters.increment(Ipv4Stat.ICMP_ERRORS_RATE_LIMITED);
            return;
        }
        ByteBuf reply = output.alloc().directBuffer(Ipv4Header.MAX_LENGTH + 2 * IcmpEcho.HEADER_LENGTH + 8);
        int peer = ip.sourceAddress();
        IcmpBuilder.writeDestinationUnreachable(reply, ip.destinationAddress(), peer,
                output.nextIdentification(peer, Ipv4Header.PROTOCOL_ICMP), IcmpBuilder.CODE_PROTOCOL_UNREACHABLE, 0,
                ip.buffer(), ip.offset(), ip.totalLength());
        counters.increment(Ipv4Stat.ICMP_ERRORS_OUT);
        output.send(reply);
    }

    /**
     * RFC 1122 §3.3.2: when reassembly times out with fragment zero present, send Time Exceeded
     * code 1 quoting it. {@code firstFragment} is borrowed.
     */
    void sendReassemblyTimeExceeded(ByteBuf firstFragment) {
        int base = firstFragment.readerIndex();
        int length = firstFragment.readableBytes();
        if (length < Ipv4Header.MIN_LENGTH) {
            return;
        }
        int peer = firstFragment.getInt(base + 12);
        int us = firstFragment.getInt(base + 16);
        if (!errorLimit.tryAcquire()) {
            counters.increment(Ipv4Stat.ICMP_ERRORS_RATE_LIMITED);
            return;
        }
        int quote = IcmpBuilder.quoteLength(firstFragment, base, length);
        int total = Ipv4Header.MIN_LENGTH + IcmpEcho.HEADER_LENGTH + quote;
        ByteBuf reply = output.alloc().directBuffer(total);
        Ipv4HeaderWriter.write(reply, 0, 0, total, output.nextIdentification(peer, Ipv4Header.PROTOCOL_ICMP), false,
                Ipv4HeaderWriter.DEFAULT_TTL, Ipv4Header.PROTOCOL_ICMP, us, peer);
        IcmpBuilder.writeMessage(reply, Ipv4Header.MIN_LENGTH, IcmpEcho.TYPE_TIME_EXCEEDED,
                CODE_REASSEMBLY_TIME_EXCEEDED, 0, firstFragment, base, quote);
        reply.writerIndex(total);
        counters.increment(Ipv4Stat.ICMP_ERRORS_OUT);
        output.send(reply);
    }
}
