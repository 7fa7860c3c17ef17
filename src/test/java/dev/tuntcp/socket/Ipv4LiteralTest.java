package dev.tuntcp.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4LiteralTest {

    @Property
    void formatThenParseIsTheIdentity(@ForAll int address) {
        assertEquals(address & 0xffffffffL, Ipv4Literal.parse(Ipv4Literal.format(address)));
    }

    @Property
    void anyTextParsesOrIsInvalidWithoutThrowing(@ForAll String text) {
        long value = Ipv4Literal.parse(text);
        if (value != Ipv4Literal.INVALID) {
            assertEquals(text, Ipv4Literal.format((int) value));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.", "1.2.3.256", "01.2.3.4", "1.2.3.4444", "a.b.c.d", "1..2.3", " 1.2.3.4",
        "localhost", "1.2.3.-4"})
    void rejectsWhatIsNotADottedQuad(String text) {
        assertEquals(Ipv4Literal.INVALID, Ipv4Literal.parse(text));
    }
}
