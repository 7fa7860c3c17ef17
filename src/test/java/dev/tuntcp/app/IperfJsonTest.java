package dev.tuntcp.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The control connection's JSON: round trips, iperf3's real messages, and malformed text as a typed error. */
class IperfJsonTest {

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().between(-1e12, 1e12).map(d -> (Object) d),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE, IperfJson.NULL));
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), inner).ofMaxSize(4)
                        .map(m -> (Object) new LinkedHashMap<>(m))), 3);
    }

    @Property(tries = 300)
    void parseOfWriteIsTheValue(@ForAll("values") Object value) {
        IperfJson.Parsed parsed = IperfJson.parse(IperfJson.write(value));
        assertTrue(parsed.ok(), parsed.error());
        assertEquals(normalised(value), normalised(parsed.value()));
    }

    /** Doubles that happen to be integral print as "3.0" and come back as Double: compare by value. */
    private static Object normalised(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d;
        }
        if (v instanceof Long l) {
            return l.doubleValue() == l && Math.abs(l) < 1e15 ? (Object) l.doubleValue() : l;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(IperfJsonTest::normalised).toList();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normalised(x)));
            return out;
        }
        return v;
    }

    @Property(tries = 500)
    void anyTextIsAValueOrATypedErrorNeverAnException(@ForAll String text) {
        IperfJson.Parsed parsed = IperfJson.parse(text);
        assertTrue(parsed.ok() == (parsed.error() == null));
    }

    @Test
    void iperf312ParametersParse() {
        String text = "{\"tcp\":true,\"omit\":0,\"time\":10,\"num\":0,\"blockcount\":0,\"parallel\":2,\"reverse\":true,"
                + "\"len\":131072,\"pacing_timer\":1000,\"client_version\":\"3.12\"}";
        IperfParameters.Outcome o = IperfParameters.from(IperfJson.parse(text).value());
        assertNull(o.error());
        assertEquals(0, o.parameters().receiveStreams());
        assertEquals(2, o.parameters().sendStreams());
        assertEquals(131072, o.parameters().blockSize());
        assertEquals(10, o.parameters().timeSeconds());
    }

    @Test
    void blockCountBecomesAByteBudgetAndClientSideOptionsAreAccepted() {
        String text = "{\"tcp\":true,\"omit\":2,\"time\":0,\"num\":0,\"blockcount\":10,\"MSS\":1000,\"nodelay\":true,"
                + "\"parallel\":1,\"window\":102400,\"len\":1000,\"congestion\":\"cubic\",\"TOS\":16,\"bandwidth\":10000000,"
                + "\"zerocopy\":1,\"title\":\"x\",\"extra_data\":\"y\",\"client_version\":\"3.12\"}";
        IperfParameters p = IperfParameters.from(IperfJson.parse(text).value()).parameters();
        assertEquals(10_000, p.byteBudget());
        assertEquals(1, p.receiveStreams());
        assertEquals(2, p.omitSeconds());
        assertTrue(p.noDelay());
    }

    @Test
    void unknownOptionsLeftAtTheirDefaultAreIgnored() {
        IperfParameters.Outcome o = IperfParameters.from(IperfJson.parse("{\"tcp\":true,\"future\":0,\"other\":false}").value());
        assertNull(o.error());
    }

    @Test
    void malformedTextSaysWhy() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "\"\\x\"", "01x", "{\"a\":1}x", "nul", "[".repeat(40))) {
            IperfJson.Parsed p = IperfJson.parse(bad);
            assertFalse(p.ok(), bad);
            assertNull(p.value());
        }
        assertEquals(IperfProtocol.Error.RECEIVE_PARAMETERS, IperfParameters.from(List.of()).error());
    }

    @Test
    void stringsAreEscapedBothWays() {
        String tricky = "quote\" backslash\\ newline\n tab\t ctl\u0001 é";
        assertEquals(tricky, IperfJson.parse(IperfJson.write(tricky)).value());
        assertEquals("A/", IperfJson.parse("\"\\u0041\\/\"").value());
    }
}
