package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Test helper: hex text to and from buffers. Whitespace in the text is ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s+", ""));
    }

    /** A heap buffer holding the bytes; the caller releases it. */
    static ByteBuf buffer(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    static String of(ByteBuf buf, int offset, int length) {
        return ByteBufUtil.hexDump(buf, offset, length);
    }
}
