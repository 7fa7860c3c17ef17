package dev.tuntcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Bad {@code connect} command lines: one line naming the fix, exit 2, and no device is opened. */
class ConnectCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "10.13.0.300 80 --addr 10.13.0.2 --peer 10.13.0.1/24; bad HOST '10.13.0.300' — expected an IPv4 address such as 10.13.0.1 (the stack has no resolver)",
        "example.org 80 --addr 10.13.0.2 --peer 10.13.0.1/24; bad HOST 'example.org' — expected an IPv4 address such as 10.13.0.1 (the stack has no resolver)",
        "10.13.0.1 0 --addr 10.13.0.2 --peer 10.13.0.1/24; bad PORT 0 — must be between 1 and 65535",
        "10.13.0.1 65536 --addr 10.13.0.2 --peer 10.13.0.1/24; bad PORT 65536 — must be between 1 and 65535",
        "10.13.0.1 80 --addr 10.14.0.2 --peer 10.13.0.1/24; --addr 10.14.0.2 is outside the --peer subnet 10.13.0.0/24 — pick an address inside it, e.g. 10.13.0.2",
        "10.13.0.1 80 --addr 10.13.0.2 --peer 10.13.0.1; bad --peer '10.13.0.1' — expected A.B.C.D/LEN, e.g. --peer 10.13.0.1/24",
        "10.13.0.1 80 --addr 10.13.0.2 --peer 10.13.0.1/24 --busy-poll 20000; bad --busy-poll 20000 — must be between 0 (off) and 10000 microseconds, e.g. --busy-poll 50",
        "10.13.0.1 80 --addr 10.13.0.2 --peer 10.13.0.1/24 --connect-timeout 0; timeouts are whole seconds: --connect-timeout and --close-timeout at least 1, --idle-timeout 0 (never) or more",
    })
    void badValuesGetOneLineNamingTheFix(String args, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ConnectCommand command = new ConnectCommand(new ByteArrayInputStream(new byte[0]), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = new CommandLine(command).execute(("--tun tt-never " + args).split(" "));
        assertEquals(ServeCommand.EXIT_USAGE, code);
        assertEquals("tuntcp connect: " + message + "\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(0, out.size());
    }

    @Test
    void connectIsRegistered() {
        CommandLine cl = new CommandLine(new Main());
        assertTrue(cl.getSubcommands().containsKey("connect"));
    }
}
