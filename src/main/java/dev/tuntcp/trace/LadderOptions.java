package dev.tuntcp.trace;

/**
 * How a ladder is laid out and labelled; shared by {@link LadderText}, {@link LadderSvg} and
 * {@link LadderMermaid}. Start from {@link #defaults()} and change what you need:
 * {@code LadderOptions.defaults().numbers(SeqStyle.ABSOLUTE).peerName("kernel (curl)")}.
 *
 * @param orientation which side goes on the left
 * @param numbers relative (default), absolute or both
 * @param window print each segment's window
 * @param options print each segment's TCP options
 * @param explain add the {@link Explainer}'s line to every segment
 * @param color ANSI colours in {@link LadderText} (SYN green, FIN blue, RST red)
 * @param time print the time of each row (seconds since the start of the trace)
 * @param peerName the peer's column title, or null for {@code peer ADDR:PORT}
 * @param stackName the stack's column title, or null for {@code tuntcp ADDR:PORT}
 */
public record LadderOptions(Orientation orientation, SeqStyle numbers, boolean window, boolean options,
                            boolean explain, boolean color, boolean time, String peerName, String stackName) {
    /** Which side the left lifeline shows. */
    public enum Orientation {
        /** Peer (kernel) left, tuntcp right. */
        PEER_LEFT,
        /** tuntcp left, peer right. */
        STACK_LEFT,
        /** The side that sent the first SYN left (falls back to PEER_LEFT without a SYN). */
        CLIENT_LEFT
    }

    public LadderOptions {
        java.util.Objects.requireNonNull(orientation, "orientation");
        java.util.Objects.requireNonNull(numbers, "numbers");
    }

    /** Peer left, relative numbers, no window or options, explanations on, no colour, times on. */
    public static LadderOptions defaults() {
        return new LadderOptions(Orientation.PEER_LEFT, SeqStyle.RELATIVE, false, false, true, false, true, null, null);
    }

    public LadderOptions orientation(Orientation value) {
        return new LadderOptions(value, numbers, window, options, explain, color, time, peerName, stackName);
    }

    public LadderOptions numbers(SeqStyle value) {
        return new LadderOptions(orientation, value, window, options, explain, color, time, peerName, stackName);
    }

    public LadderOptions window(boolean value) {
        return new LadderOptions(orientation, numbers, value, options, explain, color, time, peerName, stackName);
    }

    public LadderOptions options(boolean value) {
        return new LadderOptions(orientation, numbers, window, value, explain, color, time, peerName, stackName);
    }

    public LadderOptions explain(boolean value) {
        return new LadderOptions(orientation, numbers, window, options, value, color, time, peerName, stackName);
    }

    public LadderOptions color(boolean value) {
        return new LadderOptions(orientation, numbers, window, options, explain, value, time, peerName, stackName);
    }

    public LadderOptions time(boolean value) {
        return new LadderOptions(orientation, numbers, window, options, explain, color, value, peerName, stackName);
    }

    public LadderOptions peerName(String value) {
        return new LadderOptions(orientation, numbers, window, options, explain, color, time, value, stackName);
    }

    public LadderOptions stackName(String value) {
        return new LadderOptions(orientation, numbers, window, options, explain, color, time, peerName, value);
    }
}
