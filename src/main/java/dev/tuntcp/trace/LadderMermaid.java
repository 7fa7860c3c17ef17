package dev.tuntcp.trace;

import dev.tuntcp.trace.Ladder.Arrow;
import dev.tuntcp.trace.Ladder.Fate;
import dev.tuntcp.trace.Ladder.Row;
import dev.tuntcp.trace.Ladder.StateCell;

/**
 * The ladder as a Mermaid {@code sequenceDiagram} for Markdown:
 * <pre>
 * sequenceDiagram
 *     participant L as peer 10.13.0.1#58;45678
 *     participant R as tuntcp 10.13.0.2#58;80
 *     Note over L: CLOSED*
 *     Note over R: LISTEN
 *     L-&gt;&gt;R: [S] seq 0
 *     Note over L: SYN-SENT*
 *     Note over R: SYN-RECEIVED
 *     Note over L,R: SYN: the client picks its ISN …
 * </pre>
 * One message line per segment: {@code ->>} (solid) for SYN, FIN, RST and data, {@code -->>}
 * (dotted) for a bare ACK, {@code -x} for a segment that was lost or dropped. States are notes over
 * their side, explanations, timers and annotations notes over both. Characters Mermaid treats as
 * syntax ({@code # ; < > :} in names) are written as its entity codes.
 */
public final class LadderMermaid {
    private LadderMermaid() {
    }

    public static String render(ConnectionTrace trace, LadderOptions options) {
        return render(LadderBuilder.build(trace, options));
    }

    public static String render(Ladder ladder) {
        StringBuilder sb = new StringBuilder(2048).append("sequenceDiagram\n");
        sb.append("    participant L as ").append(escape(ladder.leftName(), true)).append('\n');
        sb.append("    participant R as ").append(escape(ladder.rightName(), true)).append('\n');
        for (Row r : ladder.rows()) {
            if (r.arrow() != null) {
                message(sb, r.arrow());
            }
            note(sb, "L", r.left());
            note(sb, "R", r.right());
            if (!r.comment().isEmpty()) {
                sb.append("    Note over L,R: ").append(escape(r.comment(), false)).append('\n');
            }
        }
        if (ladder.anyInferred()) {
            sb.append("    %% ").append(Ladder.INFERRED_NOTE).append('\n');
        }
        return sb.toString();
    }

    private static void message(StringBuilder sb, Arrow a) {
        String from = a.leftToRight() ? "L" : "R";
        String to = a.leftToRight() ? "R" : "L";
        String line;
        if (a.fate() != Fate.DELIVERED) {
            line = "-x";
        } else {
            line = a.kind() == SegmentKind.ACK ? "-->>" : "->>";
        }
        String suffix = a.fate() == Fate.LOST ? " (lost)" : a.fate() == Fate.REFUSED ? " (dropped)" : "";
        sb.append("    ").append(from).append(line).append(to).append(": ")
                .append(escape(a.label() + suffix, false)).append('\n');
    }

    private static void note(StringBuilder sb, String who, StateCell cell) {
        if (cell != null) {
            sb.append("    Note over ").append(who).append(": ").append(escape(cell.text(), false)).append('\n');
        }
    }

    /**
     * Mermaid's entity codes for the characters its sequence-diagram grammar would read as syntax:
     * {@code ;} ends a statement, {@code #} starts an entity, {@code <>} would be taken for HTML, a
     * line break ends the line, and in a participant's alias {@code :} is not allowed.
     */
    static String escape(String s, boolean participant) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '#' -> sb.append("#35;");
                case ';' -> sb.append("#59;");
                case '<' -> sb.append("#lt;");
                case '>' -> sb.append("#gt;");
                case '\n', '\r' -> sb.append(' ');
                case ':' -> sb.append(participant ? "#58;" : ":");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
