package dev.tuntcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Bad command lines: one line naming the fix, exit 2, and nothing is created (no device is opened). */
class ServeCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--addr 10.13.0.256 --peer 10.13.0.1/24; bad --addr '10.13.0.256' — expected A.B.C.D, e.g. --addr 10.13.0.2",
        "--addr 10.13.0.2 --peer 10.13.0.1; bad --peer '10.13.0.1' — expected A.B.C.D/LEN, e.g. --peer 10.13.0.1/24",
        "--addr 10.14.0.2 --peer 10.13.0.1/24; --addr 10.14.0.2 is outside the --peer subnet 10.13.0.0/24 — pick an address inside it, e.g. 10.13.0.2",
        "--addr 10.13.0.1 --peer 10.13.0.1/24; --addr 10.13.0.1 is the kernel's own address (--peer) — pick another, e.g. 10.13.0.2",
        "--addr 10.13.0.255 --peer 10.13.0.1/24; --addr 10.13.0.255 is the broadcast address of 10.13.0.0/24 — pick a host address, e.g. 10.13.0.2",
        "--addr 10.13.0.0 --peer 10.13.0.2/24; --addr 10.13.0.0 is the network address of 10.13.0.0/24 — pick a host address, e.g. 10.13.0.1",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --impair loss=2; --impair: bad impairment value loss=2: expected a probability between 0 and 1 (e.g. loss=0.05 or loss=5%)",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --impair jitter=1ms; --impair: unknown impairment key 'jitter': use loss, dup, reorder, delay, corrupt or seed",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --mtu 20; bad --mtu 20 — must be between 68 (RFC 791) and 65535",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --cc vegas; --cc: unknown congestion control 'vegas': use newreno or cubic",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --busy-poll -1; bad --busy-poll -1 — must be between 0 (off) and 10000 microseconds, e.g. --busy-poll 50",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --busy-poll 10001; bad --busy-poll 10001 — must be between 0 (off) and 10000 microseconds, e.g. --busy-poll 50",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --queues 0; bad --queues 0 — must be between 1 and 256 (the kernel's limit per TUN device), e.g. --queues 2",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --queues 257; bad --queues 257 — must be between 1 and 256 (the kernel's limit per TUN device), e.g. --queues 2",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --queues 2 --pcap x.pcap; --pcap works on one queue only — drop --queues 2 (or use --queues 1) to record, impair or trace",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --queues 2 --impair loss=0.01; --impair works on one queue only — drop --queues 2 (or use --queues 1) to record, impair or trace",
        "--addr 10.13.0.2 --peer 10.13.0.1/24 --queues 3 --trace; --trace works on one queue only — drop --queues 3 (or use --queues 1) to record, impair or trace",
    })
    void badValuesGetOneLineNamingTheFix(String args, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ServeCommand command = new ServeCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String[] argv = ("--tun tt-never " + args).split(" ");
        int code = new CommandLine(command).execute(argv);
        assertEquals(ServeCommand.EXIT_USAGE, code);
        assertEquals("tuntcp serve: " + message + "\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void serveIsRegistered() {
        CommandLine cl = new CommandLine(new Main());
        assertTrue(cl.getSubcommands().containsKey("serve"));
    }
}
