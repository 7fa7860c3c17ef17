package dev.tuntcp.link;

import dev.tuntcp.wire.InternetChecksum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Hand-made ICMP echo packets for link tests (the ip layer has the real parser). */
final class EchoPackets {
    private EchoPackets() {
    }

    /** Whether {@code p} is an IPv4 ICMP echo request (type 8) to {@code destination}. */
    static boolean isEchoRequestTo(ByteBuf p, int destination) {
        int i = p.readerIndex();
        if (p.readableBytes() < 28) {
            return false;
        }
        int ihl = (p.getUnsignedByte(i) & 0x0f) * 4;
        return p.getUnsignedByte(i) >> 4 == 4 && p.getUnsignedByte(i + 9) == 1
                && p.getInt(i + 16) == destination && p.readableBytes() >= ihl + 8
                && p.getUnsignedByte(i + ihl) == 8;
    }

    /**
     * An echo reply for {@code request} (not consumed): addresses swapped, type 0, both checksums
     * recomputed (RFC 792; RFC 791 §3.1 header checksum).
     */
    static ByteBuf replyTo(ByteBuf request, ByteBufAllocator alloc) {
        int length = request.readableBytes();
        ByteBuf r = alloc.directBuffer(length);
        r.writeBytes(request, request.readerIndex(), length);
        int ihl = (r.getUnsignedByte(0) & 0x0f) * 4;
        int source = r.getInt(12);
        r.setInt(12, r.getInt(16));
        r.setInt(16, source);
        r.setByte(8, 64);
        r.setShort(10, 0);
        r.setShort(10, InternetChecksum.checksum(r, 0, ihl));
        r.setByte(ihl, 0);
        r.setShort(ihl + 2, 0);
        r.setShort(ihl + 2, InternetChecksum.checksum(r, ihl, length - ihl));
        return r;
    }

    /** A minimal valid IPv4 ICMP echo request from {@code source} to {@code destination}. */
    static ByteBuf echoRequest(ByteBufAllocator alloc, int source, int destination, int id, int seq, int payload) {
        int length = 20 + 8 + payload;
        ByteBuf p = alloc.directBuffer(length);
        p.writeByte(0x45).writeByte(0).writeShort(length).writeShort(id).writeShort(0x4000)
                .writeByte(64).writeByte(1).writeShort(0).writeInt(source).writeInt(destination);
        p.setShort(10, InternetChecksum.checksum(p, 0, 20));
        p.writeByte(8).writeByte(0).writeShort(0).writeShort(id).writeShort(seq);
        for (int i = 0; i < payload; i++) {
            p.writeByte(i);
        }
        p.setShort(22, InternetChecksum.checksum(p, 20, length - 20));
        return p;
    }
}
