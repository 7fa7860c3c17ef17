package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** emit then parse returns the same value, for any header and any legal option list (issue 3 point 5). */
class WireRoundTripProperties {
    @Provide
    Arbitrary<Ipv4Repr> ipv4() {
        return Combinators.combine(WireArbitraries.anyInt(), WireArbitraries.anyInt(),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                WireArbitraries.u16(), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 0x1fff).map(o -> o << 3))
                .flatAs((src, dst, proto, ttl, id, df, mf, frag) -> Combinators.combine(
                        Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 65515))
                        .as((tos, len) -> new Ipv4Repr(src, dst, proto, ttl, id, df, mf, frag, tos, len)));
    }

    @Property(tries = 300)
    void ipv4HeaderRoundTrips(@ForAll("ipv4") Ipv4Repr repr) {
        ByteBuf buf = Unpooled.buffer(20 + repr.payloadLength()).writeZero(20 + repr.payloadLength());
        try {
            assertEquals(20, repr.emit(buf, 0));
            assertEquals(ParseResult.ok(repr), Ipv4Repr.parse(buf, 0, buf.readableBytes()));
        } finally {
            buf.release();
        }
    }

    @Provide
    Arbitrary<TcpRepr> tcp() {
        return WireArbitraries.tcpRepr();
    }

    @Property
    void tcpSegmentRoundTrips(@ForAll("tcp") TcpRepr repr, @ForAll int src, @ForAll int dst) {
        ByteBuf buf = Unpooled.buffer(repr.length()).writeZero(repr.length());
        try {
            assertEquals(repr.length(), repr.emit(buf, 0, src, dst));
            TcpRepr expected = repr.withOptions(TcpOptionList.padded(repr.options()));
            assertEquals(ParseResult.ok(expected), TcpRepr.parse(buf, 0, buf.readableBytes(), src, dst));
        } finally {
            buf.release();
        }
    }

    @Property
    void wholePacketRoundTrips(@ForAll("tcp") TcpRepr tcp, @ForAll int src, @ForAll int dst,
                               @ForAll @IntRange(max = 0xffff) int id) {
        TcpRepr padded = tcp.withOptions(TcpOptionList.padded(tcp.options()));
        TcpPacketRepr packet = TcpPacketRepr.of(src, dst, id, padded);
        ByteBuf buf = Unpooled.buffer();
        try {
            packet.emit(buf);
            assertEquals(ParseResult.ok(packet), TcpPacketRepr.parse(buf, 0, buf.readableBytes()));
        } finally {
            buf.release();
        }
    }

    /** The zero-allocation reader sees the same values as the list parser (last occurrence wins). */
    @Property
    void holderAgreesWithTheList(@ForAll("tcp") TcpRepr repr) {
        ByteBuf buf = Unpooled.buffer(40).writeZero(40);
        try {
            int n = TcpOptionList.emit(repr.options(), buf, 0);
            TcpOptions o = new TcpOptions();
            assertEquals(ParseError.NONE, o.read(buf, 0, n));
            TcpOptions expected = new TcpOptions();
            int unknown = 0;
            for (TcpOption opt : repr.options()) {
                if (opt instanceof TcpOption.Mss m) {
                    expected.mss(m.value());
                } else if (opt instanceof TcpOption.WindowScale w) {
                    expected.windowScale(w.shift());
                } else if (opt instanceof TcpOption.SackPermitted) {
                    expected.sackPermitted(true);
                } else if (opt instanceof TcpOption.Timestamps t) {
                    expected.timestamps(t.tsVal(), t.tsEcr());
                } else if (opt instanceof TcpOption.Sack s) {
                    expected.clearSackBlocks();
                    s.blocks().forEach(b -> expected.addSackBlock(b.left(), b.right()));
                } else if (opt instanceof TcpOption.Unknown) {
                    unknown++;
                }
            }
            assertEquals(expected.toString(), o.toString());
            assertEquals(unknown, o.unknownCount());
            boolean clamped = repr.options().stream()
                    .anyMatch(opt -> opt instanceof TcpOption.WindowScale w && w.shift() > 14);
            assertEquals(clamped ? ParseError.TCP_OPTION_WINDOW_SCALE_CLAMPED : ParseError.NONE, o.warning());
            assertTrue(o.windowScale() <= 14);
        } finally {
            buf.release();
        }
    }

    @Provide
    Arbitrary<TcpOptions> holder() {
        return WireArbitraries.tcpOptionsHolder();
    }

    @Property
    void holderRoundTripsThroughTheWriter(@ForAll("holder") TcpOptions opts) {
        ByteBuf buf = Unpooled.buffer(40).writeZero(40);
        try {
            int n = TcpOptionsWriter.write(opts, buf, 0);
            assertEquals(TcpOptionsWriter.length(opts), n);
            assertTrue(n % 4 == 0 && n <= 40);
            TcpOptions back = new TcpOptions();
            assertEquals(ParseError.NONE, back.read(buf, 0, n));
            TcpOptions expected = new TcpOptions().copyFrom(opts);
            // What is left of the 40 bytes after MSS (4), TS (12) or SACK-permitted (4), wscale (4)
            // and the SACK option's own 4 bytes, in whole 8-byte blocks (RFC 2018 §3).
            int used = (opts.hasMss() ? 4 : 0) + (opts.hasTimestamps() ? 12 : opts.sackPermitted() ? 4 : 0)
                    + (opts.hasWindowScale() ? 4 : 0);
            int fit = (40 - used - 4) / 8;
            if (expected.sackBlockCount() > fit) {
                expected.clearSackBlocks();
                for (int i = 0; i < fit; i++) {
                    expected.addSackBlock(opts.sackLeft(i), opts.sackRight(i));
                }
            }
            assertEquals(expected.toString(), back.toString());
        } finally {
            buf.release();
        }
    }

    /** The builder's bytes are exactly the value type's bytes for the same segment. */
    @Property
    void segmentBuilderMatchesTheValueTypes(@ForAll("holder") TcpOptions opts, @ForAll int src, @ForAll int dst,
                                            @ForAll int seq, @ForAll int ack,
                                            @ForAll @IntRange(max = 0x1ff) int flags,
                                            @ForAll @IntRange(max = 0xffff) int window,
                                            @ForAll @IntRange(max = 0xffff) int id,
                                            @ForAll byte[] payload) {
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {9, 9}, payload);
        ByteBuf built = Unpooled.buffer();
        ByteBuf expected = Unpooled.buffer();
        try {
            int n = new SegmentBuilder().addresses(src, dst).identification(id).ports(1000, 2000).seq(seq).ack(ack)
                    .flags(flags).window(window).options(opts).payload(data, 2, payload.length).write(built);
            ByteBuf optionBytes = Unpooled.buffer(40).writeZero(40);
            List<TcpOption> list = TcpOptionList.parse(optionBytes, 0,
                    TcpOptionsWriter.write(opts, optionBytes, 0)).orThrow();
            optionBytes.release();
            TcpPacketRepr.of(src, dst, id, new TcpRepr(1000, 2000, seq, ack, flags, window, 0, list, payload))
                    .emit(expected);
            assertEquals(Hex.of(expected, 0, expected.readableBytes()), Hex.of(built, 0, n));
        } finally {
            data.release();
            built.release();
            expected.release();
        }
    }

    /** Trace text from raw bytes equals the text of the value (two independent spellings). */
    @Property
    void traceTextFromBytesEqualsTextOfValue(@ForAll("tcp") TcpRepr repr) {
        ByteBuf buf = Unpooled.buffer(repr.length()).writeZero(repr.length());
        try {
            repr.emit(buf, 0, 1, 2);
            TcpHeader h = new TcpHeader();
            assertEquals(ParseError.NONE, h.wrap(buf, 0, repr.length()));
            TcpRepr padded = repr.withOptions(TcpOptionList.padded(repr.options()));
            assertEquals(padded.toString(), repr.sourcePort() + " > " + repr.destinationPort() + " "
                    + TcpFormat.format(h));
        } finally {
            buf.release();
        }
    }

    @Property
    void paddingOnlyAddsNopsOrFollowsEol(@ForAll("tcp") TcpRepr repr) {
        List<TcpOption> padded = TcpOptionList.padded(repr.options());
        boolean endsWithEol = !padded.isEmpty() && padded.get(padded.size() - 1) instanceof TcpOption.Eol;
        assertTrue(endsWithEol || TcpOptionList.unpaddedLength(padded) % 4 == 0);
        assertEquals(TcpOptionList.paddedLength(repr.options()), TcpOptionList.paddedLength(padded));
        List<TcpOption> prefix = new ArrayList<>(padded.subList(0, repr.options().size()));
        assertEquals(repr.options(), prefix);
        padded.subList(repr.options().size(), padded.size()).forEach(o -> assertTrue(o instanceof TcpOption.Nop));
    }
}
