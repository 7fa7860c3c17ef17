package dev.tuntcp.lab;

/**
 * One fact of TCP's opening or closing, reproduced against the real Linux kernel (DESIGN §6). A
 * scenario drives both sides through a {@link LabSession} — the stack through tasks on its event
 * loop, the kernel through Java sockets opened inside the namespace — waits for the segments it
 * needs (never sleeps for them), and records what it expected to see with
 * {@link LabSession#check}. The explanation it writes with {@link LabSession#explain} is tied to the
 * numbers of the run that just happened.
 */
public interface Scenario {
    /** Kebab-case name used on the command line, e.g. {@code handshake-server}. */
    String name();

    /** One line for {@code tuntcp lab --list}. */
    String summary();

    /** Runs the scenario; exceptions (a {@link LabFailure} for a step that timed out) end it as failed. */
    void run(LabSession lab) throws Exception;
}
