package dev.tuntcp.tcp;

/**
 * Where the state machine's segments go. In the stack an implementation builds the IPv4 + TCP packet
 * (options, checksums) and hands it to IP; scripted tests capture the segments instead, so the state
 * machine is tested without IP.
 */
@FunctionalInterface
public interface TcpOutput {
    /**
     * Sends one segment. {@code segment} and the data it points at are borrowed for the duration of
     * the call only: the implementation copies whatever it keeps and releases nothing. Must not call
     * back into the {@link TcpLayer} (links deliver later, from the event loop).
     */
    void send(Segment segment);
}
