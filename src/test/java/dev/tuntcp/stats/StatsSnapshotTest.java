package dev.tuntcp.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The snapshot's line form: what serve writes, stats reads back unchanged; anything else is a typed error. */
class StatsSnapshotTest {

    @Property(tries = 200)
    void parseOfToWireIsIdentity(@ForAll @AlphaChars @StringLength(min = 1, max = 15) String tun,
                                 @ForAll @LongRange(min = 0) long uptime,
                                 @ForAll @Size(max = 20) Map<@AlphaChars @NumericChars @StringLength(min = 1, max = 30) String,
                                         @LongRange(min = 0) Long> values) {
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, Long> gauges = new LinkedHashMap<>();
        values.forEach((k, v) -> counters.put("E." + k, v));
        values.forEach((k, v) -> gauges.put("G." + k, v / 2));
        StatsSnapshot s = new StatsSnapshot(tun, "10.13.0.2", uptime, counters, gauges);
        StatsSnapshot.Parsed back = StatsSnapshot.parse(s.toWire());
        assertTrue(back.ok(), back.error());
        assertEquals(s, back.snapshot());
        assertEquals(java.util.List.copyOf(counters.keySet()), java.util.List.copyOf(back.snapshot().counters().keySet()),
                "order kept");
    }

    @Property(tries = 300)
    void anyTextParsesOrNamesWhyNot(@ForAll String text) {
        StatsSnapshot.Parsed p = StatsSnapshot.parse(text);
        assertTrue(p.ok() != (p.error() != null), "exactly one of snapshot and error");
    }

    @Test
    void errorsAreTyped() {
        assertEquals("serve is stopping (X)", StatsSnapshot.parse("error serve is stopping (X)\n").error());
        assertFalse(StatsSnapshot.parse("HTTP/1.1 200 OK\n").ok());
        assertEquals("bad line 2: 'counter TcpStat.SEGMENTS_IN twelve'",
                StatsSnapshot.parse(StatsSnapshot.MAGIC + "\ncounter TcpStat.SEGMENTS_IN twelve\n").error());
        assertFalse(StatsSnapshot.parse(StatsSnapshot.MAGIC + "\ncounter A.B 99999999999999999999\n").ok(), "overflow");
        assertFalse(StatsSnapshot.parse(StatsSnapshot.MAGIC + "\ngauge A.B -1\n").ok(), "negative");
    }

    @Test
    void unknownLinesFromALaterVersionAreIgnored() {
        StatsSnapshot.Parsed p = StatsSnapshot.parse(StatsSnapshot.MAGIC + "\ntun tt3\nhistogram rtt 1 2 3\ncounter A.B 7\n");
        assertTrue(p.ok(), p.error());
        assertEquals("tt3", p.snapshot().tun());
        assertEquals(7, p.snapshot().counter("A.B"));
        assertEquals(0, p.snapshot().counter("A.C"));
    }
}
