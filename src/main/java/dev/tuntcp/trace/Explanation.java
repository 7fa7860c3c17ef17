package dev.tuntcp.trace;

/**
 * Why a segment was sent and what it proves, in one short line.
 *
 * @param fact the fact it demonstrates
 * @param text one line for people, e.g. "SYN: the client picks its ISN x=3571820114; …"
 */
public record Explanation(Fact fact, String text) {
    public Explanation {
        java.util.Objects.requireNonNull(fact, "fact");
        java.util.Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text;
    }
}
