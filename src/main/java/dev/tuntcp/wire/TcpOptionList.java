package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Option lists as values, in wire order: parse, emit with padding, and tcpdump-style text straight
 * from the bytes. Parsing allocates (it is for tests, traces and the scripted-segment tests); the
 * per-packet path uses {@link TcpOptions}.
 *
 * <p>Round trip: {@code parse(emit(list)) == padded(list)}. Padding (RFC 9293 §3.1: the header ends
 * on a 32-bit boundary) is NOPs, except after an EOL, where it is zero bytes that the parser stops
 * before, so a list ending in EOL comes back unchanged.
 */
public final class TcpOptionList {
    private TcpOptionList() {
    }

    /**
     * Parses {@code length} option bytes at {@code offset}. Validation is exactly that of
     * {@link TcpOptions#read} (one rule set); a window-scale shift above 14 is kept as sent.
     * An EOL ends the list (and is included); bytes after it are ignored.
     */
    public static ParseResult<List<TcpOption>> parse(ByteBuf buf, int offset, int length) {
        ParseError error = new TcpOptions().read(buf, offset, length);
        if (error != ParseError.NONE) {
            return ParseResult.error(error);
        }
        List<TcpOption> out = new ArrayList<>();
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int kind = buf.getUnsignedByte(i);
            if (kind == TcpOptions.KIND_EOL) {
                out.add(new TcpOption.Eol());
                break;
            }
            if (kind == TcpOptions.KIND_NOP) {
                out.add(new TcpOption.Nop());
                i++;
                continue;
            }
            int len = buf.getUnsignedByte(i + 1);
            out.add(decode(buf, i, kind, len));
            i += len;
        }
        return ParseResult.ok(List.copyOf(out));
    }

    private static TcpOption decode(ByteBuf buf, int i, int kind, int len) {
        switch (kind) {
            case TcpOptions.KIND_MSS:
                return new TcpOption.Mss(buf.getUnsignedShort(i + 2));
            case TcpOptions.KIND_WINDOW_SCALE:
                return new TcpOption.WindowScale(buf.getUnsignedByte(i + 2));
            case TcpOptions.KIND_SACK_PERMITTED:
                return new TcpOption.SackPermitted();
            case TcpOptions.KIND_SACK:
                List<TcpOption.SackBlock> blocks = new ArrayList<>();
                for (int b = i + 2; b < i + len; b += TcpOptions.SACK_BLOCK_LENGTH) {
                    blocks.add(new TcpOption.SackBlock(buf.getInt(b), buf.getInt(b + 4)));
                }
                return new TcpOption.Sack(blocks);
            case TcpOptions.KIND_TIMESTAMPS:
                return new TcpOption.Timestamps(buf.getInt(i + 2), buf.getInt(i + 6));
            default:
                byte[] data = new byte[len - 2];
                buf.getBytes(i + 2, data);
                return new TcpOption.Unknown(kind, data);
        }
    }

    /** Encoded length of the options without padding. */
    public static int unpaddedLength(List<TcpOption> options) {
        int n = 0;
        for (TcpOption o : options) {
            n += o.length();
        }
        return n;
    }

    /** Encoded length including padding to a multiple of 4. */
    public static int paddedLength(List<TcpOption> options) {
        return (unpaddedLength(options) + 3) & ~3;
    }

    /** Writes the options and their padding at absolute {@code offset}; returns the padded length. */
    public static int emit(List<TcpOption> options, ByteBuf buf, int offset) {
        int i = offset;
        for (TcpOption o : options) {
            o.emit(buf, i);
            i += o.length();
        }
        int padded = offset + paddedLength(options);
        boolean endsWithEol = !options.isEmpty() && options.get(options.size() - 1) instanceof TcpOption.Eol;
        int pad = endsWithEol ? TcpOptions.KIND_EOL : TcpOptions.KIND_NOP;
        for (; i < padded; i++) {
            buf.setByte(i, pad);
        }
        return padded - offset;
    }

    /** What {@link #parse} returns for the bytes {@link #emit} writes for {@code options}. */
    public static List<TcpOption> padded(List<TcpOption> options) {
        int pad = paddedLength(options) - unpaddedLength(options);
        boolean endsWithEol = !options.isEmpty() && options.get(options.size() - 1) instanceof TcpOption.Eol;
        if (pad == 0 || endsWithEol) {
            return List.copyOf(options);
        }
        List<TcpOption> out = new ArrayList<>(options);
        for (int k = 0; k < pad; k++) {
            out.add(new TcpOption.Nop());
        }
        return List.copyOf(out);
    }

    /**
     * Appends the options comma-separated the way {@link TcpOption#toString()} spells them, walking
     * the bytes directly; stops at EOL (printed) and prints {@code malformed} where a length is
     * impossible. Nothing is appended for an empty list.
     */
    public static StringBuilder appendText(StringBuilder sb, ByteBuf buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean first = true;
        while (i < end) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            int kind = buf.getUnsignedByte(i);
            if (kind == TcpOptions.KIND_EOL) {
                sb.append("eol");
                break;
            }
            if (kind == TcpOptions.KIND_NOP) {
                sb.append("nop");
                i++;
                continue;
            }
            int len = i + 1 < end ? buf.getUnsignedByte(i + 1) : 0;
            if (len < 2 || len > end - i || !lengthFits(kind, len)) {
                sb.append("malformed");
                break;
            }
            appendOne(sb, buf, i, kind, len);
            i += len;
        }
        return sb;
    }

    private static boolean lengthFits(int kind, int len) {
        switch (kind) {
            case TcpOptions.KIND_MSS:
                return len == TcpOptions.LENGTH_MSS;
            case TcpOptions.KIND_WINDOW_SCALE:
                return len == TcpOptions.LENGTH_WINDOW_SCALE;
            case TcpOptions.KIND_SACK_PERMITTED:
                return len == TcpOptions.LENGTH_SACK_PERMITTED;
            case TcpOptions.KIND_TIMESTAMPS:
                return len == TcpOptions.LENGTH_TIMESTAMPS;
            case TcpOptions.KIND_SACK:
                int blocks = (len - 2) / TcpOptions.SACK_BLOCK_LENGTH;
                return (len - 2) % TcpOptions.SACK_BLOCK_LENGTH == 0 && blocks >= 1
                        && blocks <= TcpOptions.MAX_SACK_BLOCKS;
            default:
                return true;
        }
    }

    private static void appendOne(StringBuilder sb, ByteBuf buf, int i, int kind, int len) {
        switch (kind) {
            case TcpOptions.KIND_MSS:
                sb.append("mss ").append(buf.getUnsignedShort(i + 2));
                break;
            case TcpOptions.KIND_WINDOW_SCALE:
                sb.append("wscale ").append(buf.getUnsignedByte(i + 2));
                break;
            case TcpOptions.KIND_SACK_PERMITTED:
                sb.append("sackOK");
                break;
            case TcpOptions.KIND_TIMESTAMPS:
                sb.append("TS ").append(buf.getUnsignedInt(i + 2)).append(' ').append(buf.getUnsignedInt(i + 6));
                break;
            case TcpOptions.KIND_SACK:
                sb.append("sack ").append((len - 2) / TcpOptions.SACK_BLOCK_LENGTH).append(' ');
                for (int b = i + 2; b < i + len; b += TcpOptions.SACK_BLOCK_LENGTH) {
                    sb.append('{').append(buf.getUnsignedInt(b)).append(':').append(buf.getUnsignedInt(b + 4)).append('}');
                }
                break;
            default:
                sb.append("unknown-").append(kind).append(len > 2 ? " " : "");
                for (int b = i + 2; b < i + len; b++) {
                    int v = buf.getUnsignedByte(b);
                    sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 0xf, 16));
                }
                break;
        }
    }
}
