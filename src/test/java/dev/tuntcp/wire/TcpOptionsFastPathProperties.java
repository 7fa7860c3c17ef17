package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The word-at-a-time fast paths for Linux's layouts give exactly what the general walk gives. */
class TcpOptionsFastPathProperties {
    /**
     * 12- or 20-byte option areas that often start like Linux's layouts (so the fast paths are both
     * taken and narrowly missed), then random bytes.
     */
    @Provide
    Arbitrary<byte[]> nearLinuxLayouts() {
        Arbitrary<byte[]> syn = Arbitraries.bytes().array(byte[].class).ofSize(20).map(b -> {
            b[0] = 2;
            b[1] = 4;
            b[4] = 4;
            b[5] = 2;
            b[6] = 8;
            b[7] = 10;
            b[16] = 1;
            b[17] = 3;
            b[18] = 3;
            return b;
        });
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofSize(12).map(b -> {
            b[0] = 1;
            b[1] = 1;
            b[2] = 8;
            b[3] = 10;
            return b;
        });
        Arbitrary<byte[]> any = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(12),
                Arbitraries.bytes().array(byte[].class).ofSize(20));
        return Arbitraries.oneOf(syn, data, any, Arbitraries.oneOf(syn, data).flatMap(b ->
                Arbitraries.integers().between(0, b.length - 1).flatMap(at -> Arbitraries.bytes().map(v -> {
                    byte[] c = b.clone();
                    c[at] = v; // one byte off the layout
                    return c;
                }))));
    }

    @Property(tries = 3000)
    void fastPathEqualsTheWalk(@ForAll("nearLinuxLayouts") byte[] options) {
        ByteBuf buf = Unpooled.wrappedBuffer(options);
        try {
            ByteView view = new ByteView();
            view.bind(buf);
            TcpOptions fast = new TcpOptions();
            ParseError fastResult = fast.read(view, 0, options.length);
            TcpOptions walked = new TcpOptions();
            walked.clear();
            ParseError walkResult = TcpOptionsReader.walk(walked, view, 0, options.length);
            assertEquals(walkResult, fastResult);
            assertEquals(everyField(walked), everyField(fast));
        } finally {
            buf.release();
        }
    }

    /**
     * The fast paths write every field once instead of clearing first: a holder that held every
     * kind of option, a clamped window scale and unknown kinds before must come out exactly as a
     * fresh one.
     */
    @Property(tries = 3000)
    void aReusedHolderKeepsNothingFromTheSegmentBefore(@ForAll("nearLinuxLayouts") byte[] options) {
        ByteBuf dirtyBuf = Unpooled.wrappedBuffer(DIRTY);
        ByteBuf buf = Unpooled.wrappedBuffer(options);
        try {
            TcpOptions reused = new TcpOptions();
            assertEquals(ParseError.NONE, reused.read(dirtyBuf, 0, DIRTY.length));
            assertEquals(ParseError.TCP_OPTION_WINDOW_SCALE_CLAMPED, reused.warning());
            ParseError reusedResult = reused.read(buf, 0, options.length);
            TcpOptions fresh = new TcpOptions();
            ParseError freshResult = fresh.read(buf, 0, options.length);
            assertEquals(freshResult, reusedResult);
            assertEquals(everyField(fresh), everyField(reused));
        } finally {
            dirtyBuf.release();
            buf.release();
        }
    }

    /** MSS, window scale 15 (clamped), SACK-permitted, timestamps, two SACK blocks, an unknown kind 30. */
    private static final byte[] DIRTY = {
        2, 4, 0x05, (byte) 0xb4, 3, 3, 15, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
        5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 30, 2, 1,
    };

    /** Every field a reader can set, as text (toString leaves out the warning, raw shift and unknowns). */
    static String everyField(TcpOptions o) {
        StringBuilder sb = new StringBuilder()
                .append(o.hasMss()).append(' ').append(o.mss()).append(' ')
                .append(o.hasWindowScale()).append(' ').append(o.windowScale()).append(' ').append(o.rawWindowScale()).append(' ')
                .append(o.sackPermitted()).append(' ')
                .append(o.hasTimestamps()).append(' ').append(o.tsVal()).append(' ').append(o.tsEcr()).append(' ')
                .append(o.sackBlockCount()).append(' ');
        for (int i = 0; i < o.sackBlockCount(); i++) {
            sb.append(o.sackLeft(i)).append(':').append(o.sackRight(i)).append(' ');
        }
        return sb.append(o.unknownCount()).append(' ').append(o.warning()).toString();
    }
}
