package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.RequiredTools;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * benchmarks/e2e/iperf_rate.py, which turns `iperf3 -J` output into the figure the benchmarks print:
 * a whole result gives the receiver's rate even with text around it (iperf3 once printed two stray
 * closing braces after its JSON and failed a smoke run); an error anywhere, no JSON, or a run that
 * moved nothing fails with the reason — never a figure from a broken run.
 */
class IperfRateScriptTest {
    private static final String SCRIPT = "benchmarks/e2e/iperf_rate.py";
    private static final String RESULT = "{\"end\":{\"sum_received\":{\"bits_per_second\":5.5e9,\"bytes\":1000}}}";

    private record Outcome(int exit, String out) {
    }

    private static Outcome run(String input) throws IOException, InterruptedException {
        RequiredTools.require("python3", "python3");
        Process p = new ProcessBuilder(RequiredTools.PYTHON, SCRIPT).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "iperf_rate.py finished");
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    @Test
    void aWholeResultGivesTheRateEvenWithStrayTextAround() throws Exception {
        assertEquals(new Outcome(0, "5.500"), run(RESULT));
        assertEquals(new Outcome(0, "5.500"), run("iperf3: warning\n" + RESULT + "\n}\n}\n"));
    }

    @Test
    void anErrorNoJsonOrNoDataFailsWithTheReason() throws Exception {
        Outcome late = run(RESULT + "\n{\"error\": \"control socket has closed unexpectedly\"}");
        assertEquals(1, late.exit());
        assertTrue(late.out().contains("control socket has closed unexpectedly"), late.out());
        Outcome none = run("iperf3: error - unable to connect to server");
        assertEquals(1, none.exit());
        assertTrue(none.out().contains("no iperf3 JSON result"), none.out());
        Outcome empty = run("{\"end\":{\"sum_received\":{\"bits_per_second\":0,\"bytes\":0}}}");
        assertEquals(1, empty.exit());
        assertTrue(empty.out().contains("moved no data"), empty.out());
    }
}
