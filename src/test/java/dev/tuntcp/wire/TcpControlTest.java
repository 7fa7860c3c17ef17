package dev.tuntcp.wire;

import static dev.tuntcp.wire.TcpFlags.ACK;
import static dev.tuntcp.wire.TcpFlags.CWR;
import static dev.tuntcp.wire.TcpFlags.ECE;
import static dev.tuntcp.wire.TcpFlags.FIN;
import static dev.tuntcp.wire.TcpFlags.PSH;
import static dev.tuntcp.wire.TcpFlags.RST;
import static dev.tuntcp.wire.TcpFlags.SYN;
import static dev.tuntcp.wire.TcpFlags.URG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TcpControlTest {
    @Test
    void legalCombinations() {
        assertEquals(TcpControl.SYN, TcpControl.classify(SYN));
        assertEquals(TcpControl.SYN, TcpControl.classify(SYN | ECE | CWR)); // RFC 3168 ECN-setup SYN
        assertEquals(TcpControl.SYN_ACK, TcpControl.classify(SYN | ACK));
        assertEquals(TcpControl.RST, TcpControl.classify(RST));
        assertEquals(TcpControl.RST, TcpControl.classify(RST | ACK));
        assertEquals(TcpControl.FIN, TcpControl.classify(FIN | ACK));
        assertEquals(TcpControl.FIN, TcpControl.classify(FIN | PSH | ACK));
        assertEquals(TcpControl.ACK, TcpControl.classify(ACK));
        assertEquals(TcpControl.ACK, TcpControl.classify(PSH | ACK));
    }

    @Test
    void illegalCombinations() {
        assertEquals(TcpControl.ILLEGAL_NULL, TcpControl.classify(0));
        assertEquals(TcpControl.ILLEGAL_NULL, TcpControl.classify(ECE));
        assertEquals(TcpControl.ILLEGAL_SYN_FIN, TcpControl.classify(SYN | FIN));
        assertEquals(TcpControl.ILLEGAL_SYN_FIN, TcpControl.classify(SYN | FIN | ACK));
        assertEquals(TcpControl.ILLEGAL_SYN_RST, TcpControl.classify(SYN | RST));
        assertEquals(TcpControl.ILLEGAL_FIN_RST, TcpControl.classify(FIN | RST | ACK));
        assertEquals(TcpControl.ILLEGAL_XMAS, TcpControl.classify(FIN | PSH | URG));
        assertEquals(TcpControl.ILLEGAL_FIN_WITHOUT_ACK, TcpControl.classify(FIN));
        assertEquals(TcpControl.ILLEGAL_WITHOUT_ACK, TcpControl.classify(PSH));
        assertEquals(TcpControl.ILLEGAL_WITHOUT_ACK, TcpControl.classify(URG));
    }

    @Property
    void ecnBitsNeverChangeTheClass(@ForAll @IntRange(max = 0x3f) int control, @ForAll @IntRange(max = 7) int ecn) {
        assertEquals(TcpControl.classify(control), TcpControl.classify(control | ecn << 6));
    }

    @Property
    void legalClassesCarryAtMostOneOfSynFinRst(@ForAll @IntRange(max = 0x1ff) int flags) {
        int controls = Integer.bitCount(flags & (SYN | FIN | RST));
        assertEquals(controls <= 1 && (controls == 1 || (flags & ACK) != 0)
                && ((flags & FIN) == 0 || (flags & ACK) != 0), TcpControl.classify(flags).isLegal());
    }
}
