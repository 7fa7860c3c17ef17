package dev.tuntcp.trace;

/** The two ends of a traced connection: the tuntcp stack and its peer (usually the kernel). */
public enum Side {
    STACK,
    PEER;

    public Side other() {
        return this == STACK ? PEER : STACK;
    }

    /** The side that sent a segment travelling in {@code direction}. */
    public static Side sender(Direction direction) {
        return direction == Direction.OUT ? STACK : PEER;
    }
}
