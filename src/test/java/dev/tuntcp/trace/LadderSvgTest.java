package dev.tuntcp.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LadderSvgTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> segments(Document doc) {
        List<Element> out = new ArrayList<>();
        NodeList groups = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.getAttribute("class").startsWith("segment ")) {
                out.add(g);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tuntcp.trace.LadderTextTest#canonical")
    void wellFormedWithOneArrowPerSegment(String name, TraceScript script) throws Exception {
        ConnectionTrace trace = ConnectionTrace.single(script.events());
        Document doc = parse(LadderSvg.render(trace, LadderOptions.defaults()));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        List<Element> arrows = segments(doc);
        assertEquals(trace.segments().size(), arrows.size());
        for (int i = 0; i < arrows.size(); i++) {
            Element g = arrows.get(i);
            assertEquals(1, g.getElementsByTagNameNS("*", "line").getLength(), "one line per arrow");
            String label = g.getElementsByTagNameNS("*", "text").item(0).getTextContent();
            SegmentEvent s = trace.segments().get(i);
            assertTrue(label.startsWith("[" + dev.tuntcp.wire.TcpFlags.toString(s.flags()) + "]"), label);
            String kind = SegmentKind.of(s).name().toLowerCase(java.util.Locale.ROOT);
            assertTrue(g.getAttribute("class").startsWith("segment " + kind), g.getAttribute("class"));
            Element line = (Element) g.getElementsByTagNameNS("*", "line").item(0);
            assertEquals(SegmentKind.of(s).rgb(), line.getAttribute("stroke"));
        }
    }

    @Test
    void lostSegmentIsMarkedAndStatesAreBoxed() throws Exception {
        Document doc = parse(LadderSvg.render(ConnectionTrace.single(TraceScript.lostLastAck().events()),
                LadderOptions.defaults()));
        long lost = segments(doc).stream().filter(g -> g.getAttribute("class").endsWith(" lost")).count();
        assertEquals(1, lost);
        NodeList texts = doc.getElementsByTagNameNS("*", "text");
        List<String> states = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            if (t.getAttribute("class").equals("state")) {
                states.add(t.getTextContent());
            }
        }
        assertTrue(states.containsAll(List.of("SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
                "CLOSED", "LAST-ACK*")), states.toString());
    }

    @Test
    void textIsEscaped() throws Exception {
        TraceScript script = TraceScript.closedPort();
        SegmentEvent syn = (SegmentEvent) script.events.get(0);
        script.events.set(0, syn.withNote("<b>&\"quoted\"</b>"));
        String svg = LadderSvg.render(ConnectionTrace.single(script.events()), LadderOptions.defaults().options(true));
        Document doc = parse(svg);
        String label = segments(doc).get(0).getElementsByTagNameNS("*", "text").item(0).getTextContent();
        assertTrue(label.contains("<mss 1460,sackOK,TS 991 0,nop,wscale 7>"), label);
        assertTrue(label.contains("\"<b>&\"quoted\"</b>\""), label);
    }
}
