package dev.tuntcp.trace;

/** Which way a segment travels, seen from the tuntcp stack. */
public enum Direction {
    /** Arrived from the peer (printed {@code ←}). */
    IN("←"),
    /** Sent by the stack (printed {@code →}). */
    OUT("→");

    private final String arrow;

    Direction(String arrow) {
        this.arrow = arrow;
    }

    /** {@code ←} for IN, {@code →} for OUT, as in the {@code --trace} line (DESIGN §4). */
    public String arrow() {
        return arrow;
    }

    public Direction opposite() {
        return this == IN ? OUT : IN;
    }
}
