package dev.tuntcp.lab;

/**
 * One thing a scenario expected to observe, and whether it did.
 *
 * @param what the expectation in words, e.g. "the kernel answers the stale SYN/ACK with RST"
 * @param passed whether the trace and the kernel's states showed it
 * @param detail what was actually seen (shown when it failed), or empty
 */
public record Check(String what, boolean passed, String detail) {
    public Check {
        detail = detail == null ? "" : detail;
    }
}
