package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;

/**
 * An IPv4 header as a value (RFC 791 §3.1): every field but version, IHL and checksum. IP options
 * are not represented: {@link #parse} skips them and {@link #emit} writes a 20-byte header, so the
 * round trip {@code parse(emit(r)) == r} holds for every value.
 *
 * @param fragmentOffset in bytes, a multiple of 8 up to 65528
 * @param payloadLength bytes after the header (total length minus 20 on emit)
 */
public record Ipv4Repr(int source, int destination, int protocol, int ttl, int identification,
                       boolean dontFragment, boolean moreFragments, int fragmentOffset, int tos,
                       int payloadLength) {
    public Ipv4Repr {
        check("protocol", protocol, 0xff);
        check("ttl", ttl, 0xff);
        check("identification", identification, 0xffff);
        check("tos", tos, 0xff);
        check("payloadLength", payloadLength, 0xffff - Ipv4Header.MIN_LENGTH);
        check("fragmentOffset", fragmentOffset, Ipv4Header.FRAGMENT_OFFSET_MASK << 3);
        if ((fragmentOffset & 7) != 0) {
            throw new IllegalArgumentException("fragmentOffset must be a multiple of 8: " + fragmentOffset);
        }
    }

    /** An unfragmented datagram with DF set, TTL 64, TOS 0. */
    public static Ipv4Repr of(int source, int destination, int protocol, int identification, int payloadLength) {
        return new Ipv4Repr(source, destination, protocol, Ipv4HeaderWriter.DEFAULT_TTL, identification,
                true, false, 0, 0, payloadLength);
    }

    /** Reads a validated view (after {@code wrap} returned NONE). */
    public static Ipv4Repr parse(Ipv4Header h) {
        return new Ipv4Repr(h.sourceAddress(), h.destinationAddress(), h.protocol(), h.ttl(), h.identification(),
                h.dontFragment(), h.moreFragments(), h.fragmentOffset(), h.tos(), h.payloadLength());
    }

    /** Wraps (validating, checksum included) and reads. */
    public static ParseResult<Ipv4Repr> parse(ByteBuf buf, int offset, int length) {
        Ipv4Header h = new Ipv4Header();
        ParseError e = h.wrap(buf, offset, length);
        return e == ParseError.NONE ? ParseResult.ok(parse(h)) : ParseResult.error(e);
    }

    /** Writes the 20-byte header with its checksum at absolute {@code offset}; returns 20. */
    public int emit(ByteBuf buf, int offset) {
        Ipv4HeaderWriter.write(buf, offset, tos, Ipv4Header.MIN_LENGTH + payloadLength, identification,
                dontFragment, moreFragments, fragmentOffset, ttl, protocol, source, destination);
        return Ipv4Header.MIN_LENGTH;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("IPv4 ");
        Ipv4Address.append(sb, source).append(" > ");
        Ipv4Address.append(sb, destination).append(" proto ").append(protocol).append(" ttl ").append(ttl)
                .append(" id ").append(identification);
        if (dontFragment) {
            sb.append(" DF");
        }
        if (moreFragments) {
            sb.append(" MF");
        }
        if (fragmentOffset != 0) {
            sb.append(" off ").append(fragmentOffset);
        }
        if (tos != 0) {
            sb.append(" tos 0x").append(Integer.toHexString(tos));
        }
        return sb.append(" length ").append(payloadLength).toString();
    }

    private static void check(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range 0.." + max + ": " + value);
        }
    }
}
