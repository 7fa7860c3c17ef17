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
            assertEquals(walked.toString(), fast.toString());
            assertEquals(walked.warning(), fast.warning());
            assertEquals(walked.rawWindowScale(), fast.rawWindowScale());
            assertEquals(walked.unknownCount(), fast.unknownCount());
        } finally {
            buf.release();
        }
    }
}
