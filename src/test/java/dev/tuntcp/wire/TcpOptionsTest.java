package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.Rfc9293;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** One test per option malformation of issue 3 point 3, and the reader's and writer's rules. */
class TcpOptionsTest {
    private final TcpOptions o = new TcpOptions();

    private ParseError read(String hex) {
        ByteBuf b = Hex.buffer(hex);
        try {
            return o.read(b, 0, b.readableBytes());
        } finally {
            b.release();
        }
    }

    @Test
    @Rfc9293("MUST-7")
    void lengthZeroIsRejected() {
        assertEquals(ParseError.TCP_OPTION_LENGTH_TOO_SMALL, read("01 01 fe 00"));
    }

    @Test
    @Rfc9293("MUST-7")
    void lengthOneIsRejected() {
        assertEquals(ParseError.TCP_OPTION_LENGTH_TOO_SMALL, read("fe 01 01 01"));
    }

    @Test
    void optionRunningPastTheHeaderIsRejected() {
        assertEquals(ParseError.TCP_OPTION_OVERRUNS_HEADER, read("01 08 0a 00000001 00"));
    }

    @Test
    void lengthByteMissingAtTheEndIsAnOverrun() {
        assertEquals(ParseError.TCP_OPTION_OVERRUNS_HEADER, read("01 01 01 02"));
    }

    @Test
    void secondMssIsRejected() {
        assertEquals(ParseError.TCP_OPTION_DUPLICATE_MSS, read("020405b4 02040218"));
    }

    @Test
    void knownKindWithTheWrongLengthIsRejected() {
        assertEquals(ParseError.TCP_OPTION_BAD_LENGTH, read("020305 00"));
        assertEquals(ParseError.TCP_OPTION_BAD_LENGTH, read("0304070000 000000"));
        assertEquals(ParseError.TCP_OPTION_BAD_LENGTH, read("0403 00 00"));
        assertEquals(ParseError.TCP_OPTION_BAD_LENGTH, read("0802 0000"));
        assertEquals(ParseError.TCP_OPTION_BAD_LENGTH, read("0502 0000"));
        assertEquals(ParseError.TCP_OPTION_BAD_LENGTH, read("0506 00000000"));
    }

    /** RFC 7323 §2.3: a shift above 14 is used as 14 and logged, not a reason to drop. */
    @Test
    @Rfc9293("MUST-64")
    void windowScaleAboveFourteenIsClampedAndReported() {
        assertEquals(ParseError.NONE, read("01 03 03 0f"));
        assertTrue(o.hasWindowScale());
        assertEquals(14, o.windowScale());
        assertEquals(15, o.rawWindowScale());
        assertEquals(ParseError.TCP_OPTION_WINDOW_SCALE_CLAMPED, o.warning());
        assertEquals(ParseError.NONE, read("01 03 03 0e"));
        assertEquals(14, o.windowScale());
        assertEquals(ParseError.NONE, o.warning());
    }

    @Test
    @Rfc9293("MUST-6")
    void unknownKindsAreSkippedByLength() {
        assertEquals(ParseError.NONE, read("fd 04 aabb 020405b4 1e 02 0101"));
        assertEquals(2, o.unknownCount());
        assertEquals(1460, o.mss());
    }

    @Test
    @Rfc9293("MUST-4")
    void eolEndsTheListAndWhatFollowsIsIgnored() {
        assertEquals(ParseError.NONE, read("020405b4 00 ff ff ff"));
        assertEquals(1460, o.mss());
    }

    @Test
    void sackBlocksAreRead() {
        assertEquals(ParseError.NONE, read("0101 0512 00000064 000000c8 fffffff0 00000010"));
        assertEquals(2, o.sackBlockCount());
        assertEquals(100, o.sackLeft(0));
        assertEquals(200, o.sackRight(0));
        assertEquals(0xfffffff0, o.sackLeft(1));
        assertEquals(0x10, o.sackRight(1));
    }

    @Test
    @Rfc9293("MUST-4")
    void readResetsEverythingFirst() {
        read("020405b4 0402 080a 00000001 00000002 01 030307");
        assertEquals(ParseError.NONE, read("01010101"));
        assertFalse(o.hasMss() || o.sackPermitted() || o.hasTimestamps() || o.hasWindowScale());
    }

    @Test
    @Rfc9293("MUST-68")
    void writerUsesLinuxLayoutPaddedToFourBytes() {
        check(new TcpOptions().mss(1460), "020405b4");
        check(new TcpOptions().sackPermitted(true), "01010402");
        check(new TcpOptions().windowScale(7), "01030307");
        check(new TcpOptions().timestamps(1, 2), "0101080a0000000100000002");
        check(new TcpOptions().mss(1460).sackPermitted(true).timestamps(991, 0).windowScale(7),
                "020405b40402080a000003df0000000001030307");
        TcpOptions sack = new TcpOptions().timestamps(5, 6);
        for (int i = 0; i < 4; i++) {
            assertTrue(sack.addSackBlock(i * 10, i * 10 + 5));
        }
        assertFalse(sack.addSackBlock(1, 2));
        // RFC 2018 §3: beside timestamps only three blocks fit in 40 bytes.
        check(sack, "0101080a0000000500000006" + "0101051a" + "0000000000000005" + "0000000a0000000f"
                + "0000001400000019");
        check(new TcpOptions(), "");
    }

    private static void check(TcpOptions opts, String hex) {
        ByteBuf b = Unpooled.buffer(40).writeZero(40);
        try {
            int n = TcpOptionsWriter.write(opts, b, 0);
            assertEquals(TcpOptionsWriter.length(opts), n);
            assertEquals(0, n % 4);
            assertEquals(hex, Hex.of(b, 0, n));
            TcpOptions back = new TcpOptions();
            assertEquals(ParseError.NONE, back.read(b, 0, n));
            assertEquals(opts.hasMss(), back.hasMss());
            assertEquals(opts.mss(), back.mss());
            assertEquals(opts.sackPermitted(), back.sackPermitted());
            assertEquals(opts.hasTimestamps(), back.hasTimestamps());
            assertEquals(opts.tsVal(), back.tsVal());
            assertEquals(opts.windowScale(), back.windowScale());
        } finally {
            b.release();
        }
    }
}
