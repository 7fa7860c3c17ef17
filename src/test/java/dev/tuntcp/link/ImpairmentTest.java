package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ImpairmentTest {

    @Test
    void parsesTheDesignExample() {
        Impairment i = Impairment.parse("loss=0.05,dup=0.01,reorder=0.02,delay=5ms,corrupt=0.01,seed=7");
        assertEquals(0.05, i.loss());
        assertEquals(0.01, i.dup());
        assertEquals(0.02, i.reorder());
        assertEquals(5_000_000, i.delayNanos());
        assertEquals(0.01, i.corrupt());
        assertEquals(7, i.seed());
    }

    @Test
    void everyKeyIsOptionalAndPercentagesAndUnitsWork() {
        assertSame(Impairment.NONE, Impairment.parse(""));
        Impairment i = Impairment.parse(" loss=5% , delay=250us ");
        assertEquals(0.05, i.loss(), 1e-12);
        assertEquals(250_000, i.delayNanos());
        assertEquals(0, i.dup());
        assertEquals(0, i.seed());
        assertEquals(2_000_000_000L, Impairment.parse("delay=2s").delayNanos());
        assertEquals(7, Impairment.parse("delay=7ns").delayNanos());
        assertTrue(Impairment.parse("seed=3").isNone());
    }

    @Test
    void badSpecsNameTheKeyOrValue() {
        assertMessage("loss=1.5", "loss=1.5");
        assertMessage("loss=abc", "loss=abc");
        assertMessage("dup=-0.1", "dup=-0.1");
        assertMessage("delay=5", "delay=5");
        assertMessage("delay=fast", "delay=fast");
        assertMessage("seed=x", "seed=x");
        assertMessage("jitter=1ms", "'jitter'");
        assertMessage("loss", "'loss'");
        assertMessage("loss=0.1,,dup=0.1", "''");
    }

    private static void assertMessage(String spec, String mustContain) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Impairment.parse(spec));
        assertTrue(e.getMessage().contains(mustContain), e.getMessage());
    }

    @Property
    void toStringParsesBackToAnEqualImpairment(@ForAll @DoubleRange(min = 0, max = 1) double loss,
                                               @ForAll @DoubleRange(min = 0, max = 1) double dup,
                                               @ForAll @DoubleRange(min = 0, max = 1) double reorder,
                                               @ForAll @LongRange(min = 0, max = 3_600_000_000_000L) long delay,
                                               @ForAll @DoubleRange(min = 0, max = 1) double corrupt,
                                               @ForAll long seed) {
        Impairment i = new Impairment(loss, dup, reorder, delay, corrupt, seed);
        assertEquals(i, Impairment.parse(i.toString()));
    }
}
