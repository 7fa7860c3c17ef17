package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuntcp.testing.Rfc9293;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.1-§3.2 option-layout rules checked on the bytes the wire layer writes and reads. */
class Rfc9293WireTest {

    @Test
    @Rfc9293("MUST-69")
    void headerOctetsAfterEndOfOptionListAreZero() {
        // MSS (4) + EOL (1) = 5 octets: the header is padded to 8, and the 3 octets after EOL are zero
        // even in a buffer that held other bytes before.
        TcpRepr repr = new TcpRepr(1, 2, 3, 4, TcpFlags.SYN, 1000, 0,
                List.of(new TcpOption.Mss(1460), new TcpOption.Eol()), new byte[0]);
        ByteBuf b = Unpooled.buffer(repr.length()).writeBytes(new byte[repr.length()]);
        try {
            for (int i = 0; i < b.capacity(); i++) {
                b.setByte(i, 0xA5);
            }
            repr.emit(b, 0, 0x0A000001, 0x0A000002);
            assertEquals(28, repr.headerLength());
            assertEquals("020405b4" + "00" + "000000", Hex.of(b, 20, 8));
        } finally {
            b.release();
        }
    }

    @Test
    @Rfc9293("MUST-64")
    void optionsAreReadWhereverTheyStart() {
        // MSS at offset 1, window scale at offset 6, SACK-permitted at offset 9: no word alignment.
        TcpOptions o = new TcpOptions();
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {1, 2, 4, 5, (byte) 0xb4, 1, 3, 3, 7, 4, 2, 0});
        assertEquals(ParseError.NONE, o.read(b, 0, 12));
        assertEquals(1460, o.mss());
        assertEquals(7, o.windowScale());
        assertEquals(true, o.sackPermitted());
    }
}
