package dev.tuntcp.ip;

import dev.tuntcp.wire.InternetChecksum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/** Hand-built IPv4 packets for tests, independent of the production builders. */
final class TestPackets {
    private TestPackets() {
    }

    static int addr(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    /** An IPv4 packet with a valid header checksum and the given fragment fields. */
    static ByteBuf ipv4(ByteBufAllocator alloc, int src, int dst, int protocol, int id, int flags,
                        int offsetBytes, int ttl, byte[] payload, int payloadFrom, int payloadLength) {
        ByteBuf b = alloc.buffer(20 + payloadLength);
        b.writeByte(0x45);
        b.writeByte(0);
        b.writeShort(20 + payloadLength);
        b.writeShort(id);
        b.writeShort(flags << 13 | (offsetBytes >>> 3));
        b.writeByte(ttl);
        b.writeByte(protocol);
        b.writeShort(0);
        b.writeInt(src);
        b.writeInt(dst);
        b.setShort(10, InternetChecksum.checksum(b, 0, 20));
        b.writeBytes(payload, payloadFrom, payloadLength);
        return b;
    }

    static ByteBuf ipv4(int src, int dst, int protocol, byte[] payload) {
        return ipv4(Unpooled.buffer().alloc(), src, dst, protocol, 1, 0, 0, 64, payload, 0, payload.length);
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
