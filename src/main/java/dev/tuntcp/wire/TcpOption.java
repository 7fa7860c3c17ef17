package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/**
 * One TCP option as a value (RFC 9293 §3.2), in wire order inside a {@link TcpRepr}. Each record's
 * {@code toString()} is the text tcpdump-style traces print ({@code mss 1460}, {@code sackOK},
 * {@code TS 991 0}, {@code nop}, {@code wscale 7}, {@code sack 1 {100:200}}). For the allocation-free
 * path use {@link TcpOptions}.
 */
public sealed interface TcpOption {
    /** The kind byte. */
    int kind();

    /** Encoded length in bytes (1 for EOL and NOP). */
    int length();

    /** Writes the option at absolute index {@code offset}; indices are not moved. */
    void emit(ByteBuf buf, int offset);

    /** End of option list (kind 0). */
    record Eol() implements TcpOption {
        public int kind() {
            return TcpOptions.KIND_EOL;
        }

        public int length() {
            return 1;
        }

        public void emit(ByteBuf buf, int offset) {
            buf.setByte(offset, TcpOptions.KIND_EOL);
        }

        @Override
        public String toString() {
            return "eol";
        }
    }

    /** No-operation (kind 1), used for alignment. */
    record Nop() implements TcpOption {
        public int kind() {
            return TcpOptions.KIND_NOP;
        }

        public int length() {
            return 1;
        }

        public void emit(ByteBuf buf, int offset) {
            buf.setByte(offset, TcpOptions.KIND_NOP);
        }

        @Override
        public String toString() {
            return "nop";
        }
    }

    /** Maximum segment size (kind 2, RFC 9293 §3.7.1). */
    record Mss(int value) implements TcpOption {
        public Mss {
            requireRange("mss", value, 0xffff);
        }

        public int kind() {
            return TcpOptions.KIND_MSS;
        }

        public int length() {
            return TcpOptions.LENGTH_MSS;
        }

        public void emit(ByteBuf buf, int offset) {
            header(buf, offset, kind(), length());
            buf.setShort(offset + 2, value);
        }

        @Override
        public String toString() {
            return "mss " + value;
        }
    }

    /** Window scale (kind 3, RFC 7323 §2.2); the shift as sent, possibly above 14. */
    record WindowScale(int shift) implements TcpOption {
        public WindowScale {
            requireRange("shift", shift, 0xff);
        }

        public int kind() {
            return TcpOptions.KIND_WINDOW_SCALE;
        }

        public int length() {
            return TcpOptions.LENGTH_WINDOW_SCALE;
        }

        public void emit(ByteBuf buf, int offset) {
            header(buf, offset, kind(), length());
            buf.setByte(offset + 2, shift);
        }

        @Override
        public String toString() {
            return "wscale " + shift;
        }
    }

    /** SACK permitted (kind 4, RFC 2018 §2). */
    record SackPermitted() implements TcpOption {
        public int kind() {
            return TcpOptions.KIND_SACK_PERMITTED;
        }

        public int length() {
            return TcpOptions.LENGTH_SACK_PERMITTED;
        }

        public void emit(ByteBuf buf, int offset) {
            header(buf, offset, kind(), length());
        }

        @Override
        public String toString() {
            return "sackOK";
        }
    }

    /** One SACK block: [left, right) in sequence space. */
    record SackBlock(int left, int right) {
        @Override
        public String toString() {
            return "{" + Integer.toUnsignedString(left) + ":" + Integer.toUnsignedString(right) + "}";
        }
    }

    /** SACK (kind 5, RFC 2018 §3) with 1 to 4 blocks. */
    record Sack(List<SackBlock> blocks) implements TcpOption {
        public Sack {
            blocks = List.copyOf(blocks);
            if (blocks.isEmpty() || blocks.size() > TcpOptions.MAX_SACK_BLOCKS) {
                throw new IllegalArgumentException("SACK needs 1..4 blocks, got " + blocks.size());
            }
        }

        public int kind() {
            return TcpOptions.KIND_SACK;
        }

        public int length() {
            return 2 + blocks.size() * TcpOptions.SACK_BLOCK_LENGTH;
        }

        public void emit(ByteBuf buf, int offset) {
            header(buf, offset, kind(), length());
            int i = offset + 2;
            for (SackBlock b : blocks) {
                buf.setInt(i, b.left());
                buf.setInt(i + 4, b.right());
                i += TcpOptions.SACK_BLOCK_LENGTH;
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("sack ").append(blocks.size()).append(' ');
            blocks.forEach(sb::append);
            return sb.toString();
        }
    }

    /** Timestamps (kind 8, RFC 7323 §3.2). */
    record Timestamps(int tsVal, int tsEcr) implements TcpOption {
        public int kind() {
            return TcpOptions.KIND_TIMESTAMPS;
        }

        public int length() {
            return TcpOptions.LENGTH_TIMESTAMPS;
        }

        public void emit(ByteBuf buf, int offset) {
            header(buf, offset, kind(), length());
            buf.setInt(offset + 2, tsVal);
            buf.setInt(offset + 6, tsEcr);
        }

        @Override
        public String toString() {
            return "TS " + Integer.toUnsignedString(tsVal) + " " + Integer.toUnsignedString(tsEcr);
        }
    }

    /** Any other kind, kept with its data bytes (length = 2 + data.length). */
    record Unknown(int kind, byte[] data) implements TcpOption {
        public Unknown {
            requireRange("kind", kind, 0xff);
            if (kind <= TcpOptions.KIND_SACK || kind == TcpOptions.KIND_TIMESTAMPS) {
                throw new IllegalArgumentException("kind " + kind + " has its own record");
            }
            if (data.length > 253) {
                throw new IllegalArgumentException("option data too long: " + data.length);
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int length() {
            return 2 + data.length;
        }

        public void emit(ByteBuf buf, int offset) {
            header(buf, offset, kind, length());
            buf.setBytes(offset + 2, data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.kind == kind && Arrays.equals(u.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * kind + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "unknown-" + kind + (data.length == 0 ? "" : " " + io.netty.buffer.ByteBufUtil.hexDump(data));
        }
    }

    private static void header(ByteBuf buf, int offset, int kind, int length) {
        buf.setByte(offset, kind);
        buf.setByte(offset + 1, length);
    }

    private static void requireRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range 0.." + max + ": " + value);
        }
    }
}
