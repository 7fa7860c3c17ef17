package dev.tuntcp.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.ip.Ipv4Drop;
import dev.tuntcp.ip.Ipv4Stat;
import dev.tuntcp.ip.ReassemblyDrop;
import dev.tuntcp.link.LinkCounter;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.tcp.TcpDrop;
import dev.tuntcp.tcp.TcpStat;
import dev.tuntcp.wire.ParseError;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The snapshot's counters, the RFC 4022 derivation and the text and JSON forms of {@code tuntcp stats}. */
class StatsFormatTest {

    private static StatsSnapshot sample() {
        Counters c = new Counters();
        c.add(TcpStat.SEGMENTS_IN, 40);
        c.add(TcpStat.SEGMENTS_OUT, 35);
        c.add(TcpStat.RETRANSMITS, 5);
        c.add(TcpStat.PASSIVE_OPENS, 3);
        c.add(TcpStat.ACTIVE_OPENS, 1);
        c.add(TcpStat.ATTEMPT_FAILS, 1);
        c.add(TcpStat.ESTAB_RESETS, 2);
        c.add(TcpStat.RESETS_SENT, 4);
        c.add(TcpDrop.BAD_CHECKSUM, 2);
        c.add(TcpDrop.MALFORMED, 1);
        c.add(TcpDrop.CLOSED_PORT, 4);
        c.add(Ipv4Stat.ECHO_REQUESTS, 6);
        c.add(Ipv4Drop.NOT_IPV4, 9);
        c.add(ParseError.TCP_BAD_CHECKSUM, 2);
        return new StatsSnapshot("tt0", "10.13.0.2", 12_345, SnapshotTaker.counters(c), SnapshotTaker.gauges(List.of()));
    }

    /** The value of row {@code name} in the block titled {@code group} (names repeat across blocks). */
    private static long row(String text, String group, String name) {
        int start = text.indexOf("\n\n" + group + "\n");
        assertTrue(start >= 0, group + " in: " + text);
        int end = text.indexOf("\n\n", start + 2);
        String block = text.substring(start, end < 0 ? text.length() : end + 1);
        Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(name) + " +(\\d+)$").matcher(block);
        assertTrue(m.find(), name + " printed in " + group + ": " + text);
        long value = Long.parseLong(m.group(1));
        assertFalse(m.find(), name + " printed once in " + group + ": " + text);
        return value;
    }

    @Test
    void everyConstantOfTheListedEnumsIsInTheSnapshotZerosIncluded() {
        Map<String, Long> counters = SnapshotTaker.counters(new Counters());
        for (Class<? extends Enum<?>> type : SnapshotTaker.ALWAYS_LISTED) {
            for (Enum<?> constant : type.getEnumConstants()) {
                assertEquals(0L, counters.get(type.getSimpleName() + "." + constant.name()), constant.toString());
            }
        }
    }

    @Test
    void rfc4022NamesAreDerivedFromTheStacksCounters() {
        Map<String, Long> tcp = StatsReport.rfc4022(sample());
        assertEquals(List.of("ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets", "CurrEstab", "InSegs",
                "OutSegs", "RetransSegs", "InErrs", "OutRsts"), List.copyOf(tcp.keySet()));
        assertEquals(1, tcp.get("ActiveOpens"));
        assertEquals(3, tcp.get("PassiveOpens"));
        assertEquals(1, tcp.get("AttemptFails"));
        assertEquals(2, tcp.get("EstabResets"));
        assertEquals(0, tcp.get("CurrEstab"));
        assertEquals(43, tcp.get("InSegs"), "SEGMENTS_IN plus the 3 dropped before the state machine");
        assertEquals(30, tcp.get("OutSegs"), "SEGMENTS_OUT without the 5 retransmissions");
        assertEquals(5, tcp.get("RetransSegs"));
        assertEquals(3, tcp.get("InErrs"), "bad checksum + malformed");
        assertEquals(4, tcp.get("OutRsts"));
    }

    @Test
    void textGroupsEveryReasonWithZeroRows() {
        String text = StatsFormat.text(sample());
        assertTrue(text.startsWith("tuntcp stats: tt0 (10.13.0.2), up 12.3 s\n"), text);
        for (String title : List.of("TCP (RFC 4022 tcp group)", "TCP connections by state (now)", "TCP events (TcpStat)",
                "TCP drops by reason (TcpDrop)", "IPv4 (Ipv4Stat)", "ICMP (Ipv4Stat, Ipv4Drop)",
                "IPv4 drops by reason (Ipv4Drop)", "IPv4 reassembly drops by reason (ReassemblyDrop)",
                "TUN link (LinkCounter)", "Services (ServiceCounter)", "Other counters")) {
            assertTrue(text.contains("\n\n" + title + "\n"), title + " in: " + text);
        }
        assertEquals(3, row(text, "TCP (RFC 4022 tcp group)", "PassiveOpens"));
        assertEquals(4, row(text, "TCP drops by reason (TcpDrop)", "CLOSED_PORT"));
        assertEquals(2, row(text, "TCP drops by reason (TcpDrop)", "BAD_CHECKSUM"));
        assertEquals(0, row(text, "IPv4 drops by reason (Ipv4Drop)", "BAD_CHECKSUM"), "same name, other layer");
        assertEquals(6, row(text, "ICMP (Ipv4Stat, Ipv4Drop)", "ECHO_REQUESTS"), "ICMP rows sit in the ICMP group");
        assertEquals(0, row(text, "ICMP (Ipv4Stat, Ipv4Drop)", "ICMP_BAD_CHECKSUM"));
        assertEquals(-1, text.indexOf("  ICMP_BAD_CHECKSUM", text.indexOf("IPv4 drops by reason")), "not twice");
        assertEquals(9, row(text, "IPv4 drops by reason (Ipv4Drop)", "NOT_IPV4"));
        assertEquals(2, row(text, "Other counters", "ParseError.TCP_BAD_CHECKSUM"), "other kinds keep their full name");
        assertEquals(0, row(text, "TCP connections by state (now)", "ESTABLISHED"), "state gauge");
        for (TcpDrop d : TcpDrop.values()) {
            row(text, "TCP drops by reason (TcpDrop)", d.name()); // zero or not, every reason is a row
        }
        for (ReassemblyDrop d : ReassemblyDrop.values()) {
            row(text, "IPv4 reassembly drops by reason (ReassemblyDrop)", d.name());
        }
        for (LinkCounter d : LinkCounter.values()) {
            row(text, "TUN link (LinkCounter)", d.name());
        }
    }

    @Test
    void jsonHasOneObjectPerGroupWithEveryRow() {
        String json = StatsFormat.json(sample());
        assertTrue(json.startsWith("{\n  \"tun\": \"tt0\",\n  \"address\": \"10.13.0.2\",\n  \"uptimeMillis\": 12345,\n"), json);
        assertTrue(json.contains("\"tcp\": {\n    \"ActiveOpens\": 1,\n    \"PassiveOpens\": 3,"), json);
        assertTrue(json.contains("\"tcpDrops\": {\n    \"BAD_CHECKSUM\": 2,"), json);
        assertTrue(json.contains("\"ParseError.TCP_BAD_CHECKSUM\": 2"), json);
        assertTrue(json.endsWith("\n}\n"), json);
        assertEquals(count(json, '{'), count(json, '}'), "balanced braces: " + json);
        assertFalse(json.contains(",\n}") || json.contains(",\n  }"), "no trailing comma: " + json);
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", StatsFormat.quote("a\"b\\c\n\u0001"));
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
