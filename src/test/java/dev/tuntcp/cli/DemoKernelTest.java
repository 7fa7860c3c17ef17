package dev.tuntcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code tuntcp demo} end to end, in process: it creates its own namespace (the harness's namespace
 * parameter only makes the skip-or-fail decision for CAP_NET_ADMIN), shows both ladders with the
 * kernel as the peer, and leaves no namespace behind.
 */
@KernelTest
class DemoKernelTest {

    @Test
    void demoShowsHandshakeTransferAndTeardownAndCleansUp(TestNamespace unused) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DemoCommand demo = new DemoCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        demo.noColor = true;
        int exit = demo.call();
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text + err.toString(StandardCharsets.UTF_8));
        assertEquals(2, count(text, "[S] seq 0"), "one SYN per connection:\n" + text);
        assertEquals(2, count(text, "[S.] seq 0 ack 1"), "one SYN/ACK acknowledging ISN+1 per connection:\n" + text);
        assertTrue(text.contains("LISTEN") && text.contains("SYN-RECEIVED") && text.contains("ESTABLISHED")
                && text.contains("CLOSE-WAIT") && text.contains("LAST-ACK") && text.contains("CLOSED"), text);
        assertTrue(text.contains("FIN seq + 1"), "the FIN's acknowledgement is explained:\n" + text);
        assertTrue(text.contains("echoed: hello, tuntcp"), text);
        assertFalse(Netns.list().stream().anyMatch(n -> n.startsWith("tuntcp-demo-")), "demo namespace left behind");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
