package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressTest {

    @Test
    void parsesAddressAndPrefix() {
        PeerAddress p = PeerAddress.parse("10.13.0.1/24");
        assertEquals(0x0a0d0001, p.address());
        assertEquals(24, p.prefixLength());
        assertEquals(0xffffff00, p.netmask());
        assertEquals("10.13.0.1/24", p.toString());
        assertTrue(p.contains(PeerAddress.parseIpv4("10.13.0.2")));
        assertFalse(p.contains(PeerAddress.parseIpv4("10.13.1.2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.13.0.1", "10.13.0.1/", "10.13.0.1/0", "10.13.0.1/33", "10.13.0/24", "10.13.0.256/24",
            "a.b.c.d/24", "10.13.0.1/2x", "", "/24", "10..0.1/24", "10.13.0.1.5/24"})
    void rejectsMalformedWithOneLineFix(String text) {
        LinkSetupException e = assertThrows(LinkSetupException.class, () -> PeerAddress.parse(text));
        assertEquals(LinkSetupException.Reason.BAD_CONFIG, e.reason());
        assertTrue(e.getMessage().contains("expected A.B.C.D/LEN"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Property
    void formatParsesBack(@ForAll int address, @ForAll @IntRange(min = 1, max = 32) int prefix) {
        PeerAddress p = new PeerAddress(address, prefix);
        assertEquals(p, PeerAddress.parse(p.toString()));
        assertEquals(prefix, PeerAddress.prefixOf(p.netmask()));
        assertTrue(p.contains(address));
    }

    @Test
    void prefixOfRejectsHoles() {
        assertEquals(-1, PeerAddress.prefixOf(0xff00ff00));
        assertEquals(0, PeerAddress.prefixOf(0));
        assertEquals(32, PeerAddress.prefixOf(-1));
    }
}
