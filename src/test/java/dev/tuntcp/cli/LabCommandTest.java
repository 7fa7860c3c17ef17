package dev.tuntcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Scenarios;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tuntcp lab} without a kernel: --list, and command-line errors that name the fix (exit 2). */
class LabCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        LabCommand cmd = new LabCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(cmd).execute(args);
    }

    @Test
    void listNamesEveryScenarioWithItsSummary() {
        assertEquals(0, run("--list"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (Scenario s : Scenarios.all()) {
            assertTrue(text.contains(s.name()) && text.contains(s.summary()), text);
            assertTrue(s.name().matches("[a-z0-9]+(-[a-z0-9]+)*"), "kebab-case: " + s.name());
        }
        assertEquals(Scenarios.all().size(), text.lines().count());
    }

    @Test
    void unknownScenarioNamesTheFix() {
        assertEquals(2, run("no-such-thing"));
        assertEquals("tuntcp lab: no scenario named 'no-such-thing' — tuntcp lab --list shows them",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void noScenarioNamesTheFix() {
        assertEquals(2, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("tuntcp lab --list"));
    }
}
